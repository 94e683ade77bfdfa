import { OrderConfirmedV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { orderEnded, type ChargesContext } from '../../charges.ts';

/** `order.confirmed`: the order went through; its authorization stands. */
export const orderConfirmed = (ctx: ChargesContext) =>
  handler(OrderConfirmedV1, (data, _event, db: DbClient) => orderEnded(db, data, 'confirmed', ctx));
