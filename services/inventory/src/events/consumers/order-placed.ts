import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderPlacedV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler, type HandlerContext } from '@shop/platform/event-handlers';
import { claimReservation, lockReservation, normalizeLines, reserveAll, setReservationStatus } from '../../reservations-repository.ts';
import { sagaAnswer, stockChanged } from '../publish.ts';

/** `order.placed`: hold every line or none; answer `inventory.stock.reserved` or `inventory.reservation.rejected`. */
export const orderPlaced = (ctx: HandlerContext) =>
  handler(OrderPlacedV1, async ({ orderId, lines }, _event, db: DbClient) => {
    const wanted = normalizeLines(lines);
    if (!(await claimReservation(db, orderId, 'pending', wanted))) {
      // The order is known: a repeated request gets the answer it got before, and nothing is held twice.
      const known = (await lockReservation(db, orderId))!;
      if (known.status === 'reserved') {
        await sagaAnswer(db, ctx.topic, InventoryEventTypes.stockReserved, orderId, { orderId, lines: known.lines });
      } else if (known.status === 'rejected') {
        await sagaAnswer(db, ctx.topic, InventoryEventTypes.reservationRejected, orderId, { orderId, shortages: known.shortages ?? [] });
      } else {
        ctx.log.info({ orderId, status: known.status }, 'order.placed for an order already settled; nothing reserved');
      }
      return;
    }
    const result = await reserveAll(db, wanted);
    if ('shortages' in result) {
      await setReservationStatus(db, orderId, 'rejected', result.shortages);
      await sagaAnswer(db, ctx.topic, InventoryEventTypes.reservationRejected, orderId, { orderId, shortages: result.shortages });
      return;
    }
    await setReservationStatus(db, orderId, 'reserved');
    await sagaAnswer(db, ctx.topic, InventoryEventTypes.stockReserved, orderId, { orderId, lines: wanted });
    for (const level of result.reserved) await stockChanged(db, level, ctx.topic);
  });
