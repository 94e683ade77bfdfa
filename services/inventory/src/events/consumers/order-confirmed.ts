import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderConfirmedV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler, type HandlerContext } from '@shop/platform/event-handlers';
import { commitAll, lockReservation, setReservationStatus } from '../../reservations-repository.ts';
import { sagaAnswer, stockChanged } from '../publish.ts';

/** `order.confirmed`: the held lines become a sale. Repeated, it answers again without selling twice. */
export const orderConfirmed = (ctx: HandlerContext) =>
  handler(OrderConfirmedV1, async ({ orderId }, _event, db: DbClient) => {
    const known = await lockReservation(db, orderId);
    if (known?.status === 'committed') {
      await sagaAnswer(db, ctx.topic, InventoryEventTypes.stockCommitted, orderId, { orderId, lines: known.lines });
      return;
    }
    if (known?.status !== 'reserved') {
      ctx.log.warn({ orderId, status: known?.status ?? 'unknown' }, 'order.confirmed for an order that holds no stock; nothing to commit');
      return;
    }
    const levels = await commitAll(db, known.lines);
    await setReservationStatus(db, orderId, 'committed');
    await sagaAnswer(db, ctx.topic, InventoryEventTypes.stockCommitted, orderId, { orderId, lines: known.lines });
    for (const level of levels) await stockChanged(db, level, ctx.topic);
  });
