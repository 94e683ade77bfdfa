import { PriceChangedV1 } from '@shop/contracts/events/catalog';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { projectPrice } from '../../listing-repository.ts';

/** `catalog.price.changed`: the listing shows the new price (newer versions only). */
export const priceChanged = handler(PriceChangedV1, (data, _event, db: DbClient) => projectPrice(db, data));
