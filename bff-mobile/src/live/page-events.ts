import type { CategoryCache } from '@shop/platform/clients/category-cache';
import type { ListingCache } from '@shop/platform/clients/listing-cache';
import { CatalogEventTypes, PriceChanged, ProductUpserted } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { liveEventHandler, onEvent, type LiveEventHandler } from '@shop/platform/live-intake';

/**
 * What keeps this instance's kept catalog answers fresh: every stock, price and product event drops the
 * kept listing pages (see `createListingCache`), and a product upsert also the categories (a new category,
 * a count). Each instance hears every such event in a consumer group of its own, whichever instance writes
 * the shared change log. An event of these types that breaks its contract throws InvalidLiveEvent (the
 * consumer retries, then dead-letters it).
 */
export function pageEvents({ listings, categories }: { listings: Pick<ListingCache, 'observe'>; categories: Pick<CategoryCache, 'invalidate'> }): LiveEventHandler {
  return liveEventHandler([
    onEvent(InventoryEventTypes.stockChanged, StockChanged, (event) => listings.observe(event)),
    onEvent(CatalogEventTypes.priceChanged, PriceChanged, (event) => listings.observe(event)),
    onEvent(CatalogEventTypes.productUpserted, ProductUpserted, (event) => {
      listings.observe(event);
      categories.invalidate();
    }),
  ]);
}
