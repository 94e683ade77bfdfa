import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import {
  InventoryEventTypes, ReservationRejectedData, StockCommittedData, StockReservedData,
} from '@shop/contracts/events/inventory';
import { PaymentAuthorizedData, PaymentDeclinedData, PaymentEventTypes } from '@shop/contracts/events/payments';
import { applyOnce } from '@shop/platform/consume';
import type { DbClient, Pool } from '@shop/platform/db';
import {
  onPaymentAuthorized, onPaymentDeclined, onReservationRejected, onStockCommitted, onStockReserved, type SagaContext,
} from '../../saga.ts';

/** Name of this consumer's processed-event records. */
export const CONSUMER = 'orders-saga';

type Step = (db: DbClient, data: unknown, ctx: SagaContext) => Promise<void>;

/** Order ids are uuids here; an answer about anything else cannot be about one of our orders. */
const OrderId = Type.Object({ orderId: Type.String({ format: 'uuid' }) });
const isOrderId = Compile(OrderId);

const steps: Record<string, Step> = {
  [InventoryEventTypes.stockReserved]: checked(StockReservedData, (db, d, ctx) => onStockReserved(db, ctx, d.orderId)),
  [InventoryEventTypes.reservationRejected]: checked(ReservationRejectedData, (db, d, ctx) => onReservationRejected(db, ctx, d)),
  [InventoryEventTypes.stockCommitted]: checked(StockCommittedData, (db, d, ctx) => onStockCommitted(db, ctx, d.orderId)),
  [PaymentEventTypes.authorized]: checked(PaymentAuthorizedData, (db, d, ctx) => onPaymentAuthorized(db, ctx, d.orderId)),
  [PaymentEventTypes.declined]: checked(PaymentDeclinedData, (db, d, ctx) => onPaymentDeclined(db, ctx, d)),
};

/**
 * Moves orders on with inventory's and payments' answers. Each answer is applied once (its
 * processed-event record commits with the status change); other event types on those topics
 * (stock.changed, stock.released, …) are none of the saga's business and are ignored.
 */
export async function handleSagaEvent(pool: Pool, ctx: SagaContext, event: CloudEvent): Promise<void> {
  const step = steps[event.type];
  if (!step) return;
  if (!isOrderId.Check(event.data)) {
    ctx.log.warn({ type: event.type, id: event.id }, 'saga answer names no order of ours; ignored');
    return;
  }
  await applyOnce(pool, CONSUMER, event.id, (db) => step(db, event.data, ctx));
}

/** Refuses data that breaks the event's schema, so the consumer retries and then dead-letters it. */
function checked<S extends TSchema>(schema: S, step: (db: DbClient, data: Static<S>, ctx: SagaContext) => Promise<void>): Step {
  const validator = Compile(schema);
  return (db, data, ctx) => {
    if (!validator.Check(data)) {
      const first = validator.Errors(data)[0];
      throw new Error(`event data is invalid: ${first ? `${first.instancePath} ${first.message}` : 'schema mismatch'}`);
    }
    return step(db, data as Static<S>, ctx);
  };
}
