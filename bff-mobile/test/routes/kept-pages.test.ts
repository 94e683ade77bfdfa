import { afterEach, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { MemoryEvents, priceChanged, productUpserted, stockChanged } from '@shop/platform/testing/live-events';
import { appWithFakes } from '../support/app.ts';

// Lists and home keep catalog's answer while this instance hears the events that change it (bff-web's
// listing cache): repeated lists cost no upstream call, and never show a page from before a change heard.
const SKU = 'KIT-0001';
const products = () => [product(SKU, { available: 5, stockVersion: 3, priceVersion: 2 }), product('KIT-0002')];

describe('kept catalog pages', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>> | undefined;
  afterEach(async () => t?.close());

  const start = async (events: MemoryEvents | null) => {
    t = await appWithFakes({ products: products(), levels: [stock(SKU, 5)], deps: { pageEvents: events } });
    return t;
  };
  /** Catalog's read model changes the product: a new object, as a new answer would be (a kept page keeps the old one). */
  const update = (changes: Partial<ReturnType<typeof product>>) => {
    const listed = t!.fakes.catalog.products;
    listed[0] = { ...listed[0]!, ...changes };
  };
  const list = async () => (await t!.app.inject('/m/v1/products?limit=5')).json() as { items: { sku: string; price: { amount: number }; stock: { available: number } }[] };

  it('serves a repeated list without asking catalog again, until a stock change is heard', async () => {
    const events = new MemoryEvents();
    const { fakes } = await start(events);
    await list();
    await list();
    expect(fakes.catalog.calls).toBe(1);

    // Catalog's read model has the change, and so does the event this instance hears.
    update({ available: 0, stockVersion: 4 });
    await events.publish(stockChanged(SKU, 0, 4));
    expect((await list()).items[0]!.stock.available).toBe(0);
    expect(fakes.catalog.calls).toBe(2);
  });

  it('drops kept pages on a price change, and home\'s categories on a product upsert', async () => {
    const events = new MemoryEvents();
    const { app, fakes } = await start(events);
    await app.inject('/m/v1/home');
    await app.inject('/m/v1/home');
    expect([fakes.catalog.calls, fakes.catalog.categoryCalls]).toEqual([1, 1]);

    update({ price: { amount: 1500, currency: 'EUR' }, priceVersion: 3 });
    await events.publish(priceChanged(SKU, 1500, 3));
    expect((await list()).items[0]!.price.amount).toBe(1500);

    fakes.catalog.categories = [...fakes.catalog.categories, { slug: 'garden', name: 'Garden', count: 1 }];
    update({ category: 'garden', priceVersion: 4 });
    await events.publish(productUpserted(SKU, 'garden', 4));
    // Categories are served while they refresh (stale-while-revalidate): the refresh starts on the next home.
    await app.inject('/m/v1/home');
    await expect.poll(async () => ((await app.inject('/m/v1/home')).json() as { categories: { slug: string }[] }).categories.map((c) => c.slug)).toContain('garden');
    expect(fakes.catalog.categoryCalls).toBe(2);
  });

  it('keeps nothing when no events can tell it of a change', async () => {
    const { fakes } = await start(null);
    await list();
    await list();
    expect(fakes.catalog.calls).toBe(2);
  });

  it('does not keep a page catalog answered from before a change already heard', async () => {
    const events = new MemoryEvents();
    const { fakes } = await start(events);
    // Inventory's event arrives here before catalog's read model has followed it.
    await events.publish(stockChanged(SKU, 0, 4));
    expect((await list()).items[0]!.stock.available).toBe(5);
    update({ available: 0, stockVersion: 4 });
    expect((await list()).items[0]!.stock.available).toBe(0);
    expect(fakes.catalog.calls).toBe(2);
  });
});
