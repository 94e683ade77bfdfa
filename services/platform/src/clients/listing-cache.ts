import { Compile } from 'typebox/compile';
import type { ProductPage, ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CatalogEventTypes, PriceChanged, ProductUpserted } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import type { CatalogClient } from './catalog.ts';

/**
 * Catalog's listing pages (`GET /products`) as a BFF keeps them between shoppers' requests: the same first
 * page asked a thousand times a second is one upstream call, not a thousand.
 *
 * Never staler than the live push. The BFF hears the events its pages show (stock from inventory, prices and
 * products from catalog) through the same consumer that pushes them to the pages, and `observe` is called
 * with each one before it is pushed: every kept page is dropped then, so a page asked after the push never
 * comes from before it. Catalog's read model follows the same events on its own, and may answer a little
 * behind: a page is kept only if each of its products carries the stock and price versions of the newest
 * events heard for it (else it is served as catalog gave it, as without the cache, and asked again next time),
 * and only if no event came while it was being asked. Past `maxAgeMs` a page is asked again anyway (events
 * missed while the consumer was away: the push missed them too). At most one call per page is in flight:
 * shoppers asking meanwhile wait for it (single flight). At most `maxEntries` pages are kept, least recently
 * used first out. Failures are never kept.
 */
export interface ListingCache {
  /** Catalog's page for `query`, kept or asked (see above). Throws what the catalog client throws. */
  search(query: ProductSearchQuery): Promise<ProductPage>;
  /**
   * Hears one consumed event (any type): a stock change, price change or product upsert drops every kept
   * page and raises the versions pages must carry. Others, and events that break their contract, are ignored
   * here (the push's own routes reject those). Call it before the event is pushed.
   */
  observe(event: CloudEvent): void;
  /** Pages kept now (for tests and metrics). */
  size(): number;
}

export interface ListingCacheOptions {
  catalog: Pick<CatalogClient, 'searchProducts'>;
  /** Age (ms) past which a kept page is asked again even without an event. */
  maxAgeMs: number;
  /** Pages kept at most. */
  maxEntries: number;
  /** Milliseconds since an arbitrary origin (tests pass their own clock). */
  now?: () => number;
}

const isStockChanged = Compile(StockChanged);
const isPriceChanged = Compile(PriceChanged);
const isProductUpserted = Compile(ProductUpserted);

/** The query's fields in a fixed order, defaults spelled out, so equal searches share one entry. */
const keyOf = ({ query, category, sort, offset, limit }: ProductSearchQuery) =>
  JSON.stringify([query ?? '', category ?? '', sort ?? 'relevance', offset ?? 0, limit ?? 12]);

/** See `ListingCache`. */
export function createListingCache({ catalog, maxAgeMs, maxEntries, now = performance.now.bind(performance) }: ListingCacheOptions): ListingCache {
  const kept = new Map<string, { page: ProductPage; at: number }>();
  const inFlight = new Map<string, Promise<ProductPage>>();
  /** The newest stock and price versions heard per sku: a kept page must carry at least these. */
  const stockSeen = new Map<string, number>();
  const priceSeen = new Map<string, number>();
  /** Raised by every change heard: an answer asked before it is not kept. */
  let generation = 0;

  const upToDate = (page: ProductPage) =>
    page.items.every((p) => p.stockVersion >= (stockSeen.get(p.sku) ?? 0) && p.priceVersion >= (priceSeen.get(p.sku) ?? 0));

  const changed = () => {
    generation++;
    kept.clear();
    inFlight.clear(); // later shoppers must not join a call that may predate the change
  };
  const raise = (seen: Map<string, number>, sku: string, version: number) => {
    if (version > (seen.get(sku) ?? 0)) seen.set(sku, version);
  };

  return {
    search(query) {
      const key = keyOf(query);
      const hit = kept.get(key);
      if (hit && now() - hit.at <= maxAgeMs) {
        kept.delete(key); // most recently used last
        kept.set(key, hit);
        return Promise.resolve(hit.page);
      }
      const flying = inFlight.get(key);
      if (flying) return flying;
      const askedIn = generation;
      const askedAt = now();
      const call = catalog.searchProducts(query).then(
        (page) => {
          if (inFlight.get(key) === call) inFlight.delete(key);
          if (generation === askedIn && upToDate(page)) {
            kept.delete(key);
            kept.set(key, { page, at: askedAt });
            if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
          }
          return page;
        },
        (err: unknown) => {
          if (inFlight.get(key) === call) inFlight.delete(key);
          throw err;
        },
      );
      inFlight.set(key, call);
      return call;
    },
    observe(event) {
      if (event.type === InventoryEventTypes.stockChanged && isStockChanged.Check(event)) {
        raise(stockSeen, event.data.sku, event.data.version);
        changed();
      } else if (event.type === CatalogEventTypes.priceChanged && isPriceChanged.Check(event)) {
        raise(priceSeen, event.data.sku, event.data.version);
        changed();
      } else if (event.type === CatalogEventTypes.productUpserted && isProductUpserted.Check(event)) {
        raise(priceSeen, event.data.sku, event.data.version);
        changed();
      }
    },
    size: () => kept.size,
  };
}
