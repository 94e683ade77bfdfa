import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CatalogPage } from '@shop/contracts/api/web';
import type { App } from '@shop/platform/server';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory, product, stock } from '@shop/platform/testing/fake-clients';
import { MemoryEvents, priceChanged, productUpserted, stockChanged } from '@shop/platform/testing/live-events';
import { testConfig } from '../fakes.ts';

let app: App | undefined;
afterEach(() => app?.close());

async function start(catalog: FakeCatalog, inventory: FakeInventory, env: Record<string, string> = {}, liveEvents: MemoryEvents | null = null) {
  app = await buildApp(testConfig(env), { clients: { catalog, inventory }, liveEvents });
  await app.ready();
  return app;
}

const getPage = async (a: App, url = '/api/catalog') => {
  const res = await a.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as CatalogPage & { message?: string; code?: string } };
};

describe('GET /api/catalog', () => {
  it("takes each product's stock from catalog's listing, with a status per level, without asking inventory", async () => {
    const catalog = new FakeCatalog([
      product('OUT-1', { available: 0, stockVersion: 4 }),
      product('LOW-1', { available: 3, stockVersion: 5 }),
      product('MANY-1', { available: 20, stockVersion: 6 }),
      product('EDGE-1', { available: 6, stockVersion: 7 }),
    ]);
    const inventory = new FakeInventory([stock('OUT-1', 99)]);
    const { status, body } = await getPage(await start(catalog, inventory));

    expect(status).toBe(200);
    expect(body.degraded).toEqual([]);
    expect(Object.fromEntries(body.products.map((p) => [p.sku, p.stock]))).toEqual({
      'OUT-1': { available: 0, status: 'out', version: 4 },
      'LOW-1': { available: 3, status: 'low', version: 5 },
      'MANY-1': { available: 20, status: 'in_stock', version: 6 },
      'EDGE-1': { available: 6, status: 'in_stock', version: 7 },
    });
    expect(inventory.calls + inventory.batchCalls).toBe(0);
    expect(catalog.calls).toBe(1);
  });

  it('shapes products for the page: price with its version and display text, image through /api/images', async () => {
    const catalog = new FakeCatalog([product('KIT-0001', { price: { amount: 4500, currency: 'EUR' }, priceVersion: 9, available: 10, stockVersion: 5 })]);
    const { body } = await getPage(await start(catalog, new FakeInventory()));

    expect(body.products[0]).toEqual({
      sku: 'KIT-0001',
      name: 'Product KIT-0001',
      description: 'About KIT-0001',
      category: 'kitchen',
      image: '/api/images/KIT-0001.svg',
      price: { amount: 4500, currency: 'EUR', version: 9, formatted: '€45.00' },
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

  it('shows a product whose stock catalog has not heard of yet as out of stock, at version 0', async () => {
    const { body } = await getPage(await start(new FakeCatalog([product('NEW-1', { available: 0, stockVersion: 0 })]), new FakeInventory()));
    expect(body.products[0]?.stock).toEqual({ available: 0, status: 'out', version: 0 });
    expect(body.degraded).toEqual([]);
  });

  it.each(['down', 'hang'] as const)('serves the whole page when inventory is %s', async (behaviour) => {
    const inventory = new FakeInventory([stock('A-1', 3)]);
    inventory.behaviour = behaviour;
    const { status, body } = await getPage(await start(new FakeCatalog([product('A-1', { available: 3, stockVersion: 2 })]), inventory));

    expect(status).toBe(200);
    expect(body.products.map((p) => [p.sku, p.stock?.status])).toEqual([['A-1', 'low']]);
    expect(body.degraded).toEqual([]);
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

  it('keeps the products when only the categories fail, and shows the categories once catalog answers again', async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    catalog.categoriesBehaviour = 'down';
    const a = await start(catalog, new FakeInventory());
    const first = (await getPage(a)).body;

    expect(first.products).toHaveLength(1);
    expect(first.categories).toEqual([]);
    expect(first.degraded).toEqual([{ part: 'categories', message: 'Categories are unavailable right now.' }]);

    catalog.categoriesBehaviour = 'ok';
    const next = (await getPage(a)).body;
    expect(next.categories).toEqual([{ slug: 'kitchen', name: 'Kitchen', count: 3 }]);
    expect(next.degraded).toEqual([]);
  });

  it("keeps the categories between pages and asks again after catalog's event says a product changed", async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    const events = new MemoryEvents();
    // Listing pages not kept here, so that each page asks catalog for its products (kept pages: below).
    const a = await start(catalog, new FakeInventory(), { CATALOG_PAGE_CACHE_MAX_AGE_MS: '0' }, events);
    await vi.waitFor(() => expect(a.liveIntake.state()).toBe('running'));

    for (let i = 0; i < 3; i++) await getPage(a);
    expect(catalog.categoryCalls).toBe(1);
    expect(catalog.calls).toBe(3);

    await events.publish(priceChanged('A-1', 2500, 4)); // a price changes no category
    await getPage(a);
    expect(catalog.categoryCalls).toBe(1);

    catalog.categories = [{ slug: 'kitchen', name: 'Kitchen', count: 4 }];
    await events.publish(productUpserted('B-1', 'kitchen', 1));
    await getPage(a); // the kept list is served at once while it is refreshed
    await vi.waitFor(async () => expect((await getPage(a)).body.categories).toEqual([{ slug: 'kitchen', name: 'Kitchen', count: 4 }]));
    expect(catalog.categoryCalls).toBe(2);
  });

  it('keeps listing pages while live events arrive, and no page asked after a push is from before it', async () => {
    const catalog = new FakeCatalog([product('A-1', { available: 5, stockVersion: 2, priceVersion: 3 })]);
    const events = new MemoryEvents();
    const a = await start(catalog, new FakeInventory(), {}, events);
    await vi.waitFor(() => expect(a.liveIntake.state()).toBe('running'));

    for (let i = 0; i < 3; i++) await getPage(a);
    expect(catalog.calls).toBe(1);
    expect((await getPage(a, '/api/catalog?category=kitchen')).status).toBe(200); // another search: its own call
    expect(catalog.calls).toBe(2);

    // Stock sold out: catalog's read model has it, and the push is done once publish resolves.
    catalog.products = [product('A-1', { available: 0, stockVersion: 3, priceVersion: 3 })];
    await events.publish(stockChanged('A-1', 0, 3));
    expect((await getPage(a)).body.products[0]?.stock).toEqual({ available: 0, status: 'out', version: 3 });
    await getPage(a);
    expect(catalog.calls).toBe(3);

    // A price pushed before catalog's read model has it: pages show what catalog says (as without the
    // kept pages) and keep asking until catalog has caught up; then they are kept again.
    await events.publish(priceChanged('A-1', 2500, 4));
    expect((await getPage(a)).body.products[0]?.price).toMatchObject({ amount: 1999, version: 3 });
    await getPage(a);
    expect(catalog.calls).toBe(5);
    catalog.products = [product('A-1', { available: 0, price: { amount: 2500, currency: 'EUR' }, stockVersion: 3, priceVersion: 4 })];
    expect((await getPage(a)).body.products[0]?.price).toMatchObject({ amount: 2500, version: 4 });
    await getPage(a);
    expect(catalog.calls).toBe(6);
  });

  it('asks catalog for every page when no live events arrive to keep pages fresh, or when keeping is off', async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    const a = await start(catalog, new FakeInventory()); // no live feed
    for (let i = 0; i < 3; i++) await getPage(a);
    expect(catalog.calls).toBe(3);
    await a.close();

    const again = new FakeCatalog([product('A-1')]);
    const events = new MemoryEvents();
    const b = await start(again, new FakeInventory(), { CATALOG_PAGE_CACHE_MAX_AGE_MS: '0' }, events);
    await vi.waitFor(() => expect(b.liveIntake.state()).toBe('running'));
    for (let i = 0; i < 3; i++) await getPage(b);
    expect(again.calls).toBe(3);
  });

  it('refreshes the kept categories past CATEGORIES_MAX_AGE_MS without an event', async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    const a = await start(catalog, new FakeInventory(), { CATEGORIES_MAX_AGE_MS: '0' });
    expect((await getPage(a)).body.categories).toEqual([{ slug: 'kitchen', name: 'Kitchen', count: 3 }]);
    catalog.categories = [{ slug: 'audio', name: 'Audio', count: 1 }];
    await vi.waitFor(async () => expect((await getPage(a)).body.categories).toEqual([{ slug: 'audio', name: 'Audio', count: 1 }]));
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
