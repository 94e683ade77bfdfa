import { describe, expect, it } from 'vitest';
import type { ProductPage, ProductSearchQuery } from '@shop/contracts/api/catalog';
import { createListingCache } from '../src/clients/listing-cache.ts';
import { product } from '../src/testing/fake-clients.ts';
import { cartUpdated, priceChanged, productUpserted, stockChanged } from '../src/testing/live-events.ts';

/** A catalog whose answers the test hands out one by one (`release`), counting the calls. */
class HeldCatalog {
  calls: ProductSearchQuery[] = [];
  page: ProductPage = { items: [product('KIT-0001', { stockVersion: 2, priceVersion: 3 })], total: 1 };
  hold = false;
  private waiting: (() => void)[] = [];
  fail: Error | undefined;

  async searchProducts(query: ProductSearchQuery): Promise<ProductPage> {
    this.calls.push(query);
    const answer = structuredClone(this.page);
    const fail = this.fail;
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (fail) throw fail;
    return answer;
  }

  release() {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

const first = { offset: 0, limit: 12 };

function setup(options: { maxAgeMs?: number; maxEntries?: number } = {}) {
  const catalog = new HeldCatalog();
  let clock = 0;
  const cache = createListingCache({ catalog, maxAgeMs: options.maxAgeMs ?? 2_000, maxEntries: options.maxEntries ?? 10, now: () => clock });
  return { catalog, cache, tick: (ms: number) => (clock += ms) };
}

describe('the kept catalog listing pages', () => {
  it('answer a page asked again from the kept one, each distinct search on its own', async () => {
    const { catalog, cache } = setup();
    const page = await cache.search(first);
    expect(await cache.search({ limit: 12, offset: 0 })).toEqual(page);
    expect(await cache.search({ ...first, sort: 'relevance' })).toEqual(page); // the default, spelled out
    expect(catalog.calls).toHaveLength(1);
    await cache.search({ ...first, category: 'kitchen' });
    await cache.search({ offset: 12, limit: 12 });
    expect(catalog.calls).toHaveLength(3);
  });

  it('make shoppers asking while a page is being asked wait for that one call', async () => {
    const { catalog, cache } = setup();
    catalog.hold = true;
    const asked = Promise.all([cache.search(first), cache.search(first), cache.search(first)]);
    catalog.release();
    const pages = await asked;
    expect(catalog.calls).toHaveLength(1);
    expect(new Set(pages).size).toBe(1);
  });

  it('drop every page when stock, a price or a product changes, before the change is pushed', async () => {
    const { catalog, cache } = setup();
    await cache.search(first);
    await cache.search({ ...first, category: 'kitchen' });
    expect(cache.size()).toBe(2);
    const changes = [
      [(v: number) => stockChanged('OTHER-1', 1, v), 3],
      [(v: number) => priceChanged('OTHER-1', 1, v), 4],
      [(v: number) => productUpserted('OTHER-1', 'kitchen', v), 5],
    ] as const;
    for (const [event, version] of changes) {
      catalog.page = { items: [product('KIT-0001', { stockVersion: version, priceVersion: version })], total: 1 };
      cache.observe(event(version));
      expect(cache.size()).toBe(0);
      const before = catalog.calls.length;
      await cache.search(first);
      expect(catalog.calls.length).toBe(before + 1);
    }
  });

  it('do not keep an answer from a catalog that has not caught up with the newest event heard for one of its products', async () => {
    const { catalog, cache } = setup();
    await cache.search(first);
    // Inventory's change reached the BFF first; catalog's read model still says stock version 2.
    cache.observe(stockChanged('KIT-0001', 0, 3));
    const behind = await cache.search(first);
    expect(behind.items[0]?.stockVersion).toBe(2); // served as catalog answers it, as without the cache...
    expect(cache.size()).toBe(0); // ...but not kept: the next shopper asks again
    await cache.search(first);
    expect(catalog.calls).toHaveLength(3);

    catalog.page = { items: [product('KIT-0001', { available: 0, stockVersion: 3, priceVersion: 3 })], total: 1 };
    expect((await cache.search(first)).items[0]?.available).toBe(0);
    expect(cache.size()).toBe(1);
    // Same for prices, and an older event changes nothing it demands.
    cache.observe(priceChanged('KIT-0001', 1500, 4));
    await cache.search(first);
    expect(cache.size()).toBe(0);
    cache.observe(stockChanged('KIT-0001', 9, 1));
    catalog.page = { items: [product('KIT-0001', { stockVersion: 3, priceVersion: 4 })], total: 1 };
    await cache.search(first);
    expect(cache.size()).toBe(1);
  });

  it('do not keep an answer asked before a change, nor let later shoppers wait for it', async () => {
    const { catalog, cache } = setup();
    catalog.hold = true;
    const early = cache.search(first);
    cache.observe(stockChanged('OTHER-1', 1, 7)); // a change while catalog is being asked
    const late = cache.search(first);
    expect(catalog.calls).toHaveLength(2); // the later shopper does not share the earlier call
    catalog.release();
    await Promise.all([early, late]);
    expect(cache.size()).toBe(1); // only the call asked after the change is kept
    await cache.search(first);
    expect(catalog.calls).toHaveLength(2);
  });

  it('ask again past the age limit, keep at most the entry limit (least recently used out), and never keep a failure', async () => {
    const { catalog, cache, tick } = setup({ maxAgeMs: 1_000, maxEntries: 2 });
    await cache.search(first);
    tick(1_001);
    await cache.search(first);
    expect(catalog.calls).toHaveLength(2);

    await cache.search({ offset: 12, limit: 12 });
    await cache.search(first); // used: the page at offset 12 is now the oldest
    await cache.search({ offset: 24, limit: 12 });
    expect(cache.size()).toBe(2);
    const before = catalog.calls.length;
    await cache.search(first);
    expect(catalog.calls.length).toBe(before);
    await cache.search({ offset: 12, limit: 12 });
    expect(catalog.calls.length).toBe(before + 1);

    const { catalog: failing, cache: empty } = setup();
    failing.fail = new Error('catalog is unreachable');
    await expect(empty.search(first)).rejects.toThrow('catalog is unreachable');
    failing.fail = undefined;
    await empty.search(first);
    expect(failing.calls).toHaveLength(2);
  });

  it('ignore events that change no listing, and ones that break their contract', async () => {
    const { cache } = setup();
    await cache.search(first);
    cache.observe(cartUpdated('guest-1', 2, 1));
    cache.observe({ ...stockChanged('KIT-0001', 1, 9), data: { sku: 'KIT-0001' } } as never);
    expect(cache.size()).toBe(1);
  });
});
