import { ProductUpsertedV1 } from '@shop/contracts/events/catalog';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { projectProduct } from '../../listing-repository.ts';

/** `catalog.product.upserted`: the listing takes the product's name, text, category and price (newer versions only). */
export const productUpserted = handler(ProductUpsertedV1, (data, _event, db: DbClient) => projectProduct(db, data));
