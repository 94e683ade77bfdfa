import { StockChangedV1 } from '@shop/contracts/events/inventory';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { projectStock } from '../../listing-repository.ts';

/** `inventory.stock.changed`: the listing shows what is available (newer versions only; stock may come before the product). */
export const stockChanged = handler(StockChangedV1, (data, _event, db: DbClient) => projectStock(db, data));
