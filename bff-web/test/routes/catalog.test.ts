import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogPage } from '@shop/contracts/api/web';
import type { App } from '@shop/platform/server';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory, product, stock } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';

let app: App | undefined;
afterEach(() => app?.close());

async function start(catalog: FakeCatalog, inventory: FakeInventory, env: Record<string, string> = {}) {
  app = await buildApp(testConfig(env), { clients: { catalog, inventory } });
  return app;
}

const getPage = async (a: App, url = '/api/catalog') => {
  const res = await a.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as CatalogPage & { message?: string; code?: string } };
};

describe('GET /api/catalog', () => {
  it('merges live stock into the products with a status per level', async () => {
    const catalog = new FakeCatalog([product('OUT-1'), product('LOW-1'), product('MANY-1'), product('EDGE-1')]);
    const inventory = new FakeInventory([stock('OUT-1', 0, 4), stock('LOW-1', 3), stock('MANY-1', 20), stock('EDGE-1', 6)]);
    const { status, body } = await getPage(await start(catalog, inventory));

    expect(status).toBe(200);
    expect(body.degraded).toEqual([]);
    expect(Object.fromEntries(body.products.map((p) => [p.sku, p.stock]))).toEqual({
      'OUT-1': { available: 0, status: 'out', version: 4 },
      'LOW-1': { available: 3, status: 'low', version: 5 },
      'MANY-1': { available: 20, status: 'in_stock', version: 5 },
      'EDGE-1': { available: 6, status: 'in_stock', version: 5 },
    });
  });

  it('shapes products for the page: price with its version, image through /api/images', async () => {
    const catalog = new FakeCatalog([product('KIT-0001', { price: { amount: 4500, currency: 'EUR' }, priceVersion: 9 })]);
    const { body } = await getPage(await start(catalog, new FakeInventory([stock('KIT-0001', 10)])));

    expect(body.products[0]).toEqual({
      sku: 'KIT-0001',
      name: 'Product KIT-0001',
      description: 'About KIT-0001',
      category: 'kitchen',
      image: '/api/images/KIT-0001.svg',
      price: { amount: 4500, currency: 'EUR', version: 9 },
      stock: { available: 10, status: 'in_stock', version: 5 },
    });
    expect(body.categories).toEqual([{ slug: 'kitchen', name: 'Kitchen', count: 3 }]);
  });

  it('passes search, category, sort and paging to the catalog and echoes the page', async () => {
    // All match the search (the fake filters by name and category as the catalog does).
    const catalog = new FakeCatalog(Array.from({ length: 30 }, (_, i) => product(`SKU-${String(i).padStart(2, '0')}`, { name: `Mug ${i}` })));
    const { body } = await getPage(await start(catalog, new FakeInventory()), '/api/catalog?query=mug&category=kitchen&sort=price-asc&page=3&pageSize=5');

    expect(catalog.lastQuery).toEqual({ query: 'mug', category: 'kitchen', sort: 'price-asc', offset: 10, limit: 5 });
    expect(body).toMatchObject({ page: 3, pageSize: 5, total: 30 });
    expect(body.products.map((p) => p.sku)).toEqual(['SKU-10', 'SKU-11', 'SKU-12', 'SKU-13', 'SKU-14']);
  });

  it('defaults to the first page of 12 sorted by relevance', async () => {
    const catalog = new FakeCatalog([product('ONE-1')]);
    const { body } = await getPage(await start(catalog, new FakeInventory()));
    expect(catalog.lastQuery).toMatchObject({ sort: 'relevance', offset: 0, limit: 12 });
    expect(body).toMatchObject({ page: 1, pageSize: 12, total: 1 });
  });

  it('shows a product inventory has no record of as out of stock', async () => {
    const { body } = await getPage(await start(new FakeCatalog([product('NEW-1')]), new FakeInventory()));
    expect(body.products[0]?.stock).toEqual({ available: 0, status: 'out', version: 0 });
    expect(body.degraded).toEqual([]);
  });

  it.each(['down', 'hang'] as const)('serves the products with stock null when inventory is %s', async (behaviour) => {
    const inventory = new FakeInventory([stock('A-1', 3)]);
    inventory.behaviour = behaviour;
    const started = Date.now();
    const { status, body } = await getPage(await start(new FakeCatalog([product('A-1'), product('B-1')]), inventory));

    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000); // the 150 ms budget, not the hung call
    expect(body.products.map((p) => [p.sku, p.stock])).toEqual([['A-1', null], ['B-1', null]]);
    expect(body.degraded).toEqual([{ part: 'stock', message: 'Live stock levels are unavailable right now.' }]);
  });

  it.each(['down', 'hang'] as const)('answers 200 with a degraded catalog when the catalog is %s', async (behaviour) => {
    const catalog = new FakeCatalog([product('A-1')]);
    catalog.behaviour = behaviour;
    catalog.categoriesBehaviour = behaviour;
    const inventory = new FakeInventory();
    const { status, body } = await getPage(await start(catalog, inventory));

    expect(status).toBe(200);
    expect(body.products).toEqual([]);
    expect(body.total).toBe(0);
    expect(body.degraded).toEqual([{ part: 'catalog', message: 'The catalog is unavailable right now. Please try again shortly.' }]);
    expect(inventory.calls).toBe(0);
  });

  it('keeps the products when only the categories fail', async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    catalog.categoriesBehaviour = 'down';
    const { body } = await getPage(await start(catalog, new FakeInventory([stock('A-1', 9)])));

    expect(body.products).toHaveLength(1);
    expect(body.categories).toEqual([]);
    expect(body.degraded).toEqual([{ part: 'categories', message: 'Categories are unavailable right now.' }]);
  });

  it('stops calling a dead inventory once its circuit opens, and still serves pages', async () => {
    const inventory = new FakeInventory();
    inventory.behaviour = 'down';
    const a = await start(new FakeCatalog([product('A-1')]), inventory, { BREAKER_THRESHOLD: '2', BREAKER_HALF_OPEN_MS: '60000' });

    for (let i = 0; i < 4; i++) expect((await getPage(a)).body.degraded.map((d) => d.part)).toEqual(['stock']);
    expect(inventory.calls).toBe(2);

    const status = await a.inject({ method: 'GET', url: '/ready/downstreams' });
    expect(status.json()).toMatchObject({
      downstreams: { inventory: { circuit: 'open', health: 'inventory circuit is open' }, catalog: { circuit: 'closed', health: 'ok' } },
    });
  });

  it.each([
    ['page=0', 'page'],
    ['pageSize=1000', 'pageSize'],
    ['pageSize=abc', 'pageSize'],
    ['sort=bogus', 'sort'],
    [`query=${'x'.repeat(101)}`, 'query'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const catalog = new FakeCatalog([product('A-1')]);
    const { status, body } = await getPage(await start(catalog, new FakeInventory()), `/api/catalog?${query}`);

    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain(field);
    expect(catalog.calls).toBe(0);
  });

  it('answers 400 for a page deeper than the catalog can list', async () => {
    const { status, body } = await getPage(await start(new FakeCatalog(), new FakeInventory()), '/api/catalog?page=1000&pageSize=48');
    expect(status).toBe(400);
    expect(body.code).toBe('WEB_PAGE_OUT_OF_RANGE');
  });
});
