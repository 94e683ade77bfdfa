import { PriceChangedV1 } from '@shop/contracts/events/catalog';
import { handler } from '@shop/platform/event-handlers';
import type { ProductProjection } from '../../product-projection.ts';

/** `catalog.price.changed`: carts are priced anew. Idempotent by the projection's version guard. */
export const priceChanged = (products: ProductProjection) =>
  handler(PriceChangedV1, (d) => products.applyCatalog(d.sku, d.version, d.price));
