import { StockChangedV1 } from '@shop/contracts/events/inventory';
import { handler } from '@shop/platform/event-handlers';
import type { ProductProjection } from '../../product-projection.ts';

/** `inventory.stock.changed`: what may be added to a cart. Idempotent by the projection's version guard. */
export const stockChanged = (products: ProductProjection) =>
  handler(StockChangedV1, (d) => products.applyStock(d.sku, d.version, d.available));
