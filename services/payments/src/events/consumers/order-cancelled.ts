import { OrderCancelledV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { orderEnded, type ChargesContext } from '../../charges.ts';

/** `order.cancelled`: no charge for this order from now on, and one already authorized is voided. */
export const orderCancelled = (ctx: ChargesContext) =>
  handler(OrderCancelledV1, (data, _event, db: DbClient) => orderEnded(db, data, 'cancelled', ctx));
