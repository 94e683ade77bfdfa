import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderCancelledV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler, type HandlerContext } from '@shop/platform/event-handlers';
import { claimReservation, lockReservation, normalizeLines, releaseAll, setReservationStatus } from '../../reservations-repository.ts';
import { sagaAnswer, stockChanged } from '../publish.ts';

/** `order.cancelled`: give back what this order holds, once. A cancel that comes first leaves a marker. */
export const orderCancelled = (ctx: HandlerContext) =>
  handler(OrderCancelledV1, async ({ orderId, lines }, _event, db: DbClient) => {
    if (await claimReservation(db, orderId, 'cancelled', normalizeLines(lines))) {
      ctx.log.info({ orderId }, 'order.cancelled before any reservation; a late order.placed will reserve nothing');
      return;
    }
    const known = (await lockReservation(db, orderId))!;
    if (known.status !== 'reserved') return; // nothing held: rejected, released already, or never reserved
    const levels = await releaseAll(db, known.lines);
    await setReservationStatus(db, orderId, 'released');
    await sagaAnswer(db, ctx.topic, InventoryEventTypes.stockReleased, orderId, { orderId, lines: known.lines });
    for (const level of levels) await stockChanged(db, level, ctx.topic);
  });
