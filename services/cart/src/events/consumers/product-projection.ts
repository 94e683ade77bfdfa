import { CatalogEventTypes, PriceChangedData, ProductUpsertedData } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChangedData } from '@shop/contracts/events/inventory';
import type { ProductProjection } from '../../product-projection.ts';
import { checked } from './checked.ts';

/**
 * Handlers that keep the cart's product projection current: names and prices from catalog, what is
 * available from inventory. The projection's version guard makes each idempotent: a redelivered or
 * stale event is not newer than what is held and changes nothing.
 */
export const productProjectionHandlers = (products: ProductProjection): Record<string, (data: unknown) => Promise<unknown>> => ({
  [CatalogEventTypes.productUpserted]: checked(ProductUpsertedData, (d) => products.applyCatalog(d.sku, d.version, d.price, d.name)),
  [CatalogEventTypes.priceChanged]: checked(PriceChangedData, (d) => products.applyCatalog(d.sku, d.version, d.price)),
  [InventoryEventTypes.stockChanged]: checked(StockChangedData, (d) => products.applyStock(d.sku, d.version, d.available)),
});
