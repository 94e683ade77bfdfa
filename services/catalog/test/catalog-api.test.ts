import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '@shop/contracts/api/catalog';
import { createTestDatabase } from '@shop/platform/testing/database';
import { createTestOperator, type TestOperator } from '@shop/platform/testing/operator-keys';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { seedCatalog, type SeedProduct } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let operator: TestOperator;

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
const products: SeedProduct[] = [
  { sku: 'AUD-0001', name: 'Wireless Headphones', description: 'Over-ear, noise cancelling.', category: 'audio', price: eur(12900) },
  { sku: 'AUD-0002', name: 'Bluetooth Speaker', description: 'Portable speaker with deep bass.', category: 'audio', price: eur(5990) },
  { sku: 'KIT-0001', name: 'Chef Knife', description: 'Forged steel knife.', category: 'kitchen', price: eur(6400) },
  { sku: 'KIT-0002', name: 'Cast Iron Skillet', description: 'Pre-seasoned skillet.', category: 'kitchen', price: eur(3990) },
  { sku: 'KIT-0003', name: 'Electric Kettle', description: 'Variable temperature kettle.', category: 'kitchen', price: eur(4900) },
];

beforeAll(async () => {
  db = await createTestDatabase('catalog', migrationsDir);
  operator = await createTestOperator();
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { messaging: false, operatorKeys: operator.keys });
  await seedCatalog(app.db, [{ slug: 'audio', name: 'Audio' }, { slug: 'kitchen', name: 'Kitchen' }], products);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const list = async (query: string) => {
  const res = await app.inject({ method: 'GET', url: `/products?${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: Product[]; total: number };
};
const skus = (page: { items: Product[] }) => page.items.map((p) => p.sku);

describe('browsing the listing', () => {
  it('lists every product with its price and image', async () => {
    const page = await list('limit=50');
    expect(page.total).toBe(5);
    expect(page.items.find((p) => p.sku === 'KIT-0001')).toMatchObject({
      name: 'Chef Knife', category: 'kitchen', price: eur(6400), image: '/images/KIT-0001.svg',
    });
  });

  it('finds products by the start of words in their name', async () => {
    expect(skus(await list('query=wire%20head'))).toEqual(['AUD-0001']);
    expect(skus(await list('query=kettl'))).toEqual(['KIT-0003']);
    expect((await list('query=zeppelin')).total).toBe(0);
  });

  it('narrows to a category and sorts by price', async () => {
    expect(skus(await list('category=kitchen&sort=price-asc'))).toEqual(['KIT-0002', 'KIT-0003', 'KIT-0001']);
    expect(skus(await list('sort=price-desc&limit=2'))).toEqual(['AUD-0001', 'KIT-0001']);
  });

  it('pages through results and still reports the total past the end', async () => {
    const first = await list('sort=name&limit=2&offset=0');
    const second = await list('sort=name&limit=2&offset=2');
    expect(skus(first)).toEqual(['AUD-0002', 'KIT-0002']);
    expect(skus(second)).toEqual(['KIT-0001', 'KIT-0003']);
    expect(await list('limit=2&offset=40')).toEqual({ items: [], total: 5 });
  });

  it('counts products per category', async () => {
    const res = await app.inject({ method: 'GET', url: '/categories' });
    expect(res.json()).toEqual([
      { slug: 'audio', name: 'Audio', count: 2 },
      { slug: 'kitchen', name: 'Kitchen', count: 3 },
    ]);
  });

  it('serves a picture of each product', async () => {
    const res = await app.inject({ method: 'GET', url: '/images/KIT-0003.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(res.body).toContain('Electric Kettle');
  });
});

describe('changing a price', () => {
  it('updates the write model and writes catalog.price.changed with the old and new price to the outbox', async () => {
    const res = await app.inject({ method: 'PUT', url: '/products/KIT-0001/price', headers: { authorization: operator.authorization }, payload: eur(5900) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(eur(5900));
    const { rows } = await app.db.query(`SELECT event FROM outbox WHERE event->>'type' = 'catalog.price.changed'`);
    expect(rows.map((r) => r.event)).toEqual([
      expect.objectContaining({
        subject: 'KIT-0001',
        data: { sku: 'KIT-0001', price: eur(5900), previousPrice: eur(6400), version: 2 },
      }),
    ]);
  });
});

describe('bad input', () => {
  const cases: [string, number, { method: 'GET' | 'PUT'; url: string; payload?: string }, RegExp][] = [
    ['negative price', 400, { method: 'PUT', url: '/products/KIT-0002/price', payload: '{"amount":-5,"currency":"EUR"}' }, /amount/],
    ['price in decimals', 400, { method: 'PUT', url: '/products/KIT-0002/price', payload: '{"amount":39.9,"currency":"EUR"}' }, /amount/],
    ['absurd price', 400, { method: 'PUT', url: '/products/KIT-0002/price', payload: '{"amount":1e12,"currency":"EUR"}' }, /amount/],
    ['other currency', 400, { method: 'PUT', url: '/products/KIT-0002/price', payload: '{"amount":100,"currency":"USD"}' }, /currency/],
    ['malformed JSON', 400, { method: 'PUT', url: '/products/KIT-0002/price', payload: '{"amount":' }, /JSON/i],
    ['unknown SKU', 404, { method: 'PUT', url: '/products/ZZZ-0001/price', payload: '{"amount":100,"currency":"EUR"}' }, /ZZZ-0001/],
    ['unknown product', 404, { method: 'GET', url: '/products/ZZZ-0001' }, /ZZZ-0001/],
    ['malformed SKU', 400, { method: 'GET', url: '/products/not%20a%20sku' }, /sku/],
    ['page size too large', 400, { method: 'GET', url: '/products?limit=1000' }, /limit/],
    ['unknown sort', 400, { method: 'GET', url: '/products?sort=random' }, /sort/],
    ['image path outside the catalog', 400, { method: 'GET', url: '/images/..%2F..%2Fetc%2Fpasswd' }, /file/],
  ];

  it.each(cases)('%s gets a %i JSON error naming the problem, and changes nothing', async (_name, status, req, message) => {
    const res = await app.inject({ ...req, headers: { 'content-type': 'application/json', authorization: operator.authorization } });
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toMatch(message);
    const { rows } = await app.db.query(`SELECT price_amount FROM products WHERE sku = 'KIT-0002'`);
    expect(rows[0].price_amount).toBe(3990);
  });
});

describe('admin access', () => {
  const setPrice = (authorization?: string) =>
    app.inject({ method: 'PUT', url: '/products/KIT-0002/price', headers: authorization ? { authorization } : {}, payload: eur(1) });
  const unchanged = async () => {
    const { rows } = await app.db.query(`SELECT price_amount FROM products WHERE sku = 'KIT-0002'`);
    expect(rows[0].price_amount).toBe(3990);
  };

  it('refuses to change a price without an operator token (401)', async () => {
    const res = await setPrice();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json().message).toMatch(/operator token/);
    await unchanged();
  });

  it('refuses a token signed by another key (401)', async () => {
    expect((await setPrice((await createTestOperator()).authorization)).statusCode).toBe(401);
    await unchanged();
  });

  it("refuses an operator token without the 'admin' scope (403)", async () => {
    const res = await setPrice(`Bearer ${await operator.token({ scope: 'catalog:read' })}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/'admin'/);
    await unchanged();
  });
});
