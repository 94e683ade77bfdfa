import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { appWithFakes } from '../support/app.ts';

// Lists take stock from catalog's read model (`available`); the product detail asks inventory (`levels`).
const products = Array.from({ length: 45 }, (_, i) =>
  product(`KIT-${String(i + 1).padStart(4, '0')}`, {
    name: i % 5 === 0 ? `Desk Lamp ${i}` : `Kettle ${i}`,
    category: i % 2 ? 'kitchen' : 'lighting',
    available: [0, 3, 40][i % 3]!,
  }),
);
const levels = products.map((p) => stock(p.sku, p.available));

describe('catalog routes', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  beforeAll(async () => {
    t = await appWithFakes({ products, levels });
  });
  afterAll(() => t.close());

  it('GET /home: categories and featured products in one answer', async () => {
    const res = await t.app.inject('/m/v1/home');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.categories).toEqual([
      { slug: 'kitchen', name: 'Kitchen' },
      { slug: 'audio', name: 'Audio' },
    ]);
    expect(body.featured).toHaveLength(8);
    expect(body.featured[0]).toEqual({
      sku: 'KIT-0001',
      name: 'Desk Lamp 0',
      price: { amount: 1999, currency: 'EUR' },
      stock: { status: 'out', available: 0 },
      image: '/m/v1/images/KIT-0001',
    });
  });

  it('GET /products: lean items with stock labels, and an opaque cursor through every page once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.app.inject({ url: '/m/v1/products', query: { limit: '20', ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { sku: string; stock: unknown }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.sku));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(products.map((p) => p.sku));

    const first = (await t.app.inject('/m/v1/products?limit=3')).json();
    expect(first.items.map((i: { stock: unknown }) => i.stock)).toEqual([
      { status: 'out', available: 0 },
      { status: 'low', available: 3 },
      { status: 'in_stock', available: 40 },
    ]);
    expect(Object.keys(first.items[0]).sort()).toEqual(['image', 'name', 'price', 'sku', 'stock']);
  });

  it('GET /products: empty parameters, as a form sends them, are absent ones', async () => {
    const res = await t.app.inject('/m/v1/products?query=&category=&cursor=&limit=');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(20);
  });

  it('GET /products: search and category filter, with cursors bound to their search', async () => {
    const res = await t.app.inject('/m/v1/products?query=lamp&category=lighting&limit=2');
    const body = res.json();
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['Desk Lamp 0', 'Desk Lamp 10']);
    expect(t.fakes.catalog.lastQuery).toMatchObject({ query: 'lamp', category: 'lighting', offset: 0, limit: 2 });

    const next = await t.app.inject({ url: '/m/v1/products', query: { query: 'lamp', category: 'lighting', limit: '2', cursor: body.nextCursor } });
    expect(next.json().items.map((i: { name: string }) => i.name)).toEqual(['Desk Lamp 20', 'Desk Lamp 30']);

    const elsewhere = await t.app.inject({ url: '/m/v1/products', query: { query: 'kettle', cursor: body.nextCursor } });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json()).toMatchObject({ code: 'MOBILE_INVALID_CURSOR', errors: [{ parameter: 'cursor' }] });
  });

  it('GET /products/{sku}: the detail, its picture sized for the device', async () => {
    const plain = await t.app.inject('/m/v1/products/KIT-0002');
    expect(plain.json()).toEqual({
      sku: 'KIT-0002',
      name: 'Kettle 1',
      description: 'About KIT-0002',
      category: 'kitchen',
      price: { amount: 1999, currency: 'EUR' },
      stock: { status: 'low', available: 3 },
      image: '/m/v1/images/KIT-0002',
    });
    const byQuery = await t.app.inject('/m/v1/products/KIT-0002?width=300&dpr=2');
    expect(byQuery.json().image).toBe('/m/v1/images/KIT-0002?w=640');
    const byHints = await t.app.inject({ url: '/m/v1/products/KIT-0002', headers: { 'sec-ch-dpr': '3', 'sec-ch-viewport-width': '390' } });
    expect(byHints.json().image).toBe('/m/v1/images/KIT-0002?w=1280');
    expect(byHints.headers.vary).toContain('sec-ch-dpr');
  });

  it('GET /images/{sku}: the SVG at the asked width', async () => {
    const res = await t.app.inject('/m/v1/images/KIT-0002?w=640');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.body).toMatch(/^<svg width="640" height="480" /);
    expect((await t.app.inject('/m/v1/images/NOPE-0001')).json()).toMatchObject({ status: 404, code: 'MOBILE_IMAGE_NOT_FOUND' });
  });

  it('refuses a count that is not a whole number (400 naming the field), rather than rounding it', async () => {
    for (const limit of ['1.5', '2e0', '3abc', '0x10']) {
      const res = await t.app.inject(`/m/v1/products?limit=${limit}`);
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().errors, limit).toEqual([{ parameter: 'limit', detail: 'must be integer' }]);
    }
    expect((await t.app.inject('/m/v1/products?limit=2')).json().items).toHaveLength(2);
    expect((await t.app.inject('/m/v1/products?limit=+3')).json().items).toHaveLength(3);
  });

  it('answers 404 problem+json for an unknown product, 400 for a malformed sku', async () => {
    const missing = await t.app.inject('/m/v1/products/NOPE-0001');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(missing.json()).toMatchObject({ status: 404, code: 'MOBILE_PRODUCT_NOT_FOUND', type: expect.stringMatching(/product-not-found$/) });
    const bad = await t.app.inject('/m/v1/products/not%20a%20sku');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MOBILE_VALIDATION_FAILED', errors: [{ parameter: 'sku' }] });
  });

  it('ETag on GET answers, 304 without a body for If-None-Match, a fresh 200 once the data changed', async () => {
    const first = await t.app.inject('/m/v1/products?limit=5');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await t.app.inject({ url: '/m/v1/products?limit=5', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    products[0]!.available = 12; // the read model heard of new stock
    const changed = await t.app.inject({ url: '/m/v1/products?limit=5', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    products[0]!.available = 0;
  });

  it('compresses with brotli or gzip, as the app asks', async () => {
    const plain = await t.app.inject({ url: '/m/v1/products?limit=30', headers: { 'accept-encoding': 'identity' } });
    const br = await t.app.inject({ url: '/m/v1/products?limit=30', headers: { 'accept-encoding': 'br' } });
    const gzip = await t.app.inject({ url: '/m/v1/products?limit=30', headers: { 'accept-encoding': 'gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
  });

  it('lists and home answer without inventory (one upstream call), and a 503 problem when the catalog is down', async () => {
    t.fakes.inventory.behaviour = 'down';
    const calls = t.fakes.inventory.calls + t.fakes.inventory.batchCalls;
    const list = await t.app.inject('/m/v1/products?limit=3');
    expect(list.json().items.map((i: { stock: unknown }) => i.stock)).toEqual([
      { status: 'out', available: 0 },
      { status: 'low', available: 3 },
      { status: 'in_stock', available: 40 },
    ]);
    expect((await t.app.inject('/m/v1/home')).statusCode).toBe(200);
    expect(t.fakes.inventory.calls + t.fakes.inventory.batchCalls).toBe(calls);
    t.fakes.inventory.behaviour = 'ok';

    t.fakes.catalog.behaviour = 'down';
    const res = await t.app.inject('/m/v1/home');
    t.fakes.catalog.behaviour = 'ok';
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'MOBILE_SERVICE_UNAVAILABLE', detail: expect.stringContaining('catalog') });
    expect(res.body).not.toContain('ECONNREFUSED');
  });
});
