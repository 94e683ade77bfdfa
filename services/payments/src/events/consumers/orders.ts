import { randomUUID } from 'node:crypto';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { OrderEventTypes, PaymentRequestedData } from '@shop/contracts/events/orders';
import { applyOnce } from '@shop/platform/consume';
import type { DbClient, Pool } from '@shop/platform/db';
import type { KafkaLogger } from '@shop/platform/kafka/client';
import { isExpired } from '../../card.ts';
import { authorizeWithin, type CardProvider } from '../../provider.ts';
import { claimPayment, findPaymentByOrder, findPaymentMethod, settlePayment, type DeclineReason, type Payment } from '../../repository.ts';
import { paymentAuthorized, paymentDeclined } from '../publish.ts';

/** Name of this consumer's processed-event records. */
export const CONSUMER = 'payments-charges';

export interface ChargesContext {
  pool: Pool;
  /** Payments' own topic (behind the configured prefix). */
  topic: string;
  provider: CardProvider;
  providerTimeoutMs: number;
  log: KafkaLogger;
}

const isPaymentRequested = Compile(PaymentRequestedData);

/**
 * Charges for `order.payment.requested`, once per order. The request's processed-event record,
 * the payment and its answer commit in one transaction. The provider is asked inside it: a crash
 * before the commit means the request is redelivered and asked again under the same payment id,
 * the provider's idempotency key, so a card is never charged twice.
 */
export async function handleOrderEvent(ctx: ChargesContext, event: CloudEvent): Promise<void> {
  if (event.type !== OrderEventTypes.paymentRequested) return;
  if (!isPaymentRequested.Check(event.data)) {
    const first = isPaymentRequested.Errors(event.data)[0];
    throw new Error(`event data is invalid: ${first ? `${first.instancePath} ${first.message}` : 'schema mismatch'}`);
  }
  const data = event.data as PaymentRequestedData;
  await applyOnce(ctx.pool, CONSUMER, event.id, (db) => charge(db, data, ctx));
}

async function charge(db: DbClient, { orderId, amount, paymentMethodId }: PaymentRequestedData, ctx: ChargesContext): Promise<void> {
  const paymentId = randomUUID();
  if (!(await claimPayment(db, { id: paymentId, orderId, paymentMethodId, amount }))) {
    // Asked again for an order that has its payment: the same answer, no second charge.
    await answer(db, ctx, (await findPaymentByOrder(db, orderId))!);
    return;
  }
  const method = await findPaymentMethod(db, paymentMethodId);
  let reason: DeclineReason | null = 'declined'; // an unknown or expired card is declined without asking the provider
  if (method && !isExpired({ month: method.expMonth, year: method.expYear }, new Date())) {
    const result = await authorizeWithin(ctx.provider, { paymentId, orderId, amount, outcome: method.outcome }, ctx.providerTimeoutMs);
    reason = result === 'authorized' ? null : result;
  }
  if (!method) ctx.log.warn({ orderId, paymentMethodId }, 'payment requested with an unknown payment method; declined');
  const status = reason ? 'declined' : 'authorized';
  await settlePayment(db, paymentId, status, reason);
  await answer(db, ctx, { id: paymentId, orderId, paymentMethodId, amount, status, declineReason: reason });
}

function answer(db: DbClient, ctx: ChargesContext, payment: Payment): Promise<void> {
  if (payment.status === 'authorized') {
    return paymentAuthorized(db, ctx.topic, { orderId: payment.orderId, paymentId: payment.id, amount: payment.amount });
  }
  return paymentDeclined(db, ctx.topic, { orderId: payment.orderId, paymentId: payment.id, reason: payment.declineReason ?? 'declined' });
}
