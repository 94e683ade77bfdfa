import { ProductUpsertedV1 } from '@shop/contracts/events/catalog';
import { handler } from '@shop/platform/event-handlers';
import type { ProductProjection } from '../../product-projection.ts';

/** `catalog.product.upserted`: the projection takes the product's name and price. Idempotent by its version guard. */
export const productUpserted = (products: ProductProjection) =>
  handler(ProductUpsertedV1, (d) => products.applyCatalog(d.sku, d.version, d.price, d.name));
