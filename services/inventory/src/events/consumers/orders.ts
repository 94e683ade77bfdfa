import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderCancelledData, OrderConfirmedData, OrderEventTypes, OrderPlacedData } from '@shop/contracts/events/orders';
import { applyOnce } from '@shop/platform/consume';
import type { DbClient, Pool } from '@shop/platform/db';
import type { KafkaLogger } from '@shop/platform/kafka/client';
import {
  claimReservation, commitAll, lockReservation, normalizeLines, releaseAll, reserveAll, setReservationStatus,
} from '../../reservations-repository.ts';
import { sagaAnswer, stockChanged } from '../publish.ts';

/** Name of this consumer's processed-event records. */
export const CONSUMER = 'inventory-reservations';

export interface ReservationsContext {
  pool: Pool;
  /** Inventory's own topic (behind the configured prefix): where answers and stock changes go. */
  topic: string;
  log: KafkaLogger;
}

type Step<D> = (db: DbClient, data: D, ctx: ReservationsContext) => Promise<void>;

/** order.placed: hold every line or none; answer stock.reserved or reservation.rejected. */
const onPlaced: Step<OrderPlacedData> = async (db, { orderId, lines }, ctx) => {
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
};

/** order.cancelled: give back what this order holds, once. A cancel that comes first leaves a marker. */
const onCancelled: Step<OrderCancelledData> = async (db, { orderId, lines }, ctx) => {
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
};

/** order.confirmed: the held lines become a sale. Repeated, it answers again without selling twice. */
const onConfirmed: Step<OrderConfirmedData> = async (db, { orderId }, ctx) => {
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
};

const steps: Record<string, Step<unknown>> = {
  [OrderEventTypes.placed]: checked(OrderPlacedData, onPlaced),
  [OrderEventTypes.cancelled]: checked(OrderCancelledData, onCancelled),
  [OrderEventTypes.confirmed]: checked(OrderConfirmedData, onConfirmed),
};

/**
 * Inventory's part in the checkout saga. Each event is applied once (its processed-event record
 * commits with the stock change and the answer); event types it has no part in are ignored.
 */
export async function handleOrderEvent(ctx: ReservationsContext, event: CloudEvent): Promise<void> {
  const step = steps[event.type];
  if (!step) return;
  await applyOnce(ctx.pool, CONSUMER, event.id, (db) => step(db, event.data, ctx));
}

/** Refuses data that breaks the event's schema, so the consumer retries and then dead-letters it. */
function checked<S extends TSchema>(schema: S, step: Step<Static<S>>): Step<unknown> {
  const validator = Compile(schema);
  return (db, data, ctx) => {
    if (!validator.Check(data)) {
      const first = validator.Errors(data)[0];
      throw new Error(`event data is invalid: ${first ? `${first.instancePath} ${first.message}` : 'schema mismatch'}`);
    }
    return step(db, data as Static<S>, ctx);
  };
}
