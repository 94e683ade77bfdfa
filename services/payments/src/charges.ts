import { randomUUID } from 'node:crypto';
import type { OrderCancelledData, PaymentRequestedData } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import type { HandlerContext } from '@shop/platform/event-handlers';
import { isExpired } from './card.ts';
import { paymentAuthorized, paymentDeclined, paymentVoided } from './events/publish.ts';
import { authorizeWithin, chargeKey, voidKey, voidWithin, type CardProvider } from './provider.ts';
import {
  claimPayment, findOrderOutcome, findPaymentByOrder, findPaymentMethod, lockOrder, recordOrderOutcome, settlePayment,
  type DeclineReason, type OrderOutcome, type Payment,
} from './repository.ts';

export interface ChargesContext extends HandlerContext {
  provider: CardProvider;
  /** How long the provider may take to authorize or void (ms). */
  providerTimeoutMs: number;
}

/**
 * Charges for `order.payment.requested`, once per order, in the consumer's transaction (the request's
 * processed-event record, the payment and its answer commit together). The provider is asked inside it
 * under a key derived from the order, so a retry after a crash before the commit is the same charge.
 * An order payments knows to be cancelled is refused without asking the provider.
 */
export async function charge(db: DbClient, { orderId, amount, paymentMethodId }: PaymentRequestedData, ctx: ChargesContext): Promise<void> {
  await lockOrder(db, orderId);
  const paymentId = randomUUID();
  if (!(await claimPayment(db, { id: paymentId, orderId, paymentMethodId, amount }))) {
    // Asked again for an order that has its payment: the same answer, no second charge.
    await answer(db, ctx, (await findPaymentByOrder(db, orderId))!);
    return;
  }
  let reason: DeclineReason | null = 'declined'; // an unknown or expired card is declined without asking the provider
  const method = await findPaymentMethod(db, paymentMethodId);
  if ((await findOrderOutcome(db, orderId)) === 'cancelled') {
    reason = 'order-cancelled';
    ctx.log.warn({ orderId }, 'payment requested for an order already cancelled; refused without a charge');
  } else if (method && !isExpired({ month: method.expMonth, year: method.expYear }, new Date())) {
    const request = { idempotencyKey: chargeKey(orderId), paymentId, orderId, amount, outcome: method.outcome };
    const result = await authorizeWithin(ctx.provider, request, ctx.providerTimeoutMs);
    reason = result === 'authorized' ? null : result;
  } else if (!method) {
    ctx.log.warn({ orderId, paymentMethodId }, 'payment requested with an unknown payment method; declined');
  }
  const status = reason ? 'declined' : 'authorized';
  await settlePayment(db, paymentId, status, reason);
  await answer(db, ctx, { id: paymentId, orderId, paymentMethodId, amount, status, declineReason: reason });
}

/**
 * Records how an order ended (`order.confirmed`, `order.cancelled`). For a cancelled order, an
 * authorization already made is voided at the provider and `payment.voided` announced, in the same
 * transaction; a provider that fails to void throws, so the consumer retries.
 */
export async function orderEnded(db: DbClient, { orderId }: Pick<OrderCancelledData, 'orderId'>, outcome: OrderOutcome, ctx: ChargesContext): Promise<void> {
  await lockOrder(db, orderId);
  // An order confirmed is never voided, whatever comes after (a replayed or stray cancel).
  if ((await recordOrderOutcome(db, orderId, outcome)) !== 'cancelled') return;
  const payment = await findPaymentByOrder(db, orderId);
  if (payment?.status !== 'authorized') return;
  const request = { idempotencyKey: voidKey(orderId), authorizationKey: chargeKey(orderId), paymentId: payment.id, orderId };
  await voidWithin(ctx.provider, request, ctx.providerTimeoutMs);
  await settlePayment(db, payment.id, 'voided', null);
  await paymentVoided(db, ctx.topic, { orderId, paymentId: payment.id, amount: payment.amount });
  ctx.log.warn({ orderId, paymentId: payment.id }, 'authorization for a cancelled order voided');
}

function answer(db: DbClient, ctx: ChargesContext, payment: Payment): Promise<void> {
  if (payment.status === 'authorized') {
    return paymentAuthorized(db, ctx.topic, { orderId: payment.orderId, paymentId: payment.id, amount: payment.amount });
  }
  // Declined, refused for a cancelled order, or voided: for the saga, no money is taken.
  const reason = payment.declineReason === 'timeout' ? 'timeout' : 'declined';
  return paymentDeclined(db, ctx.topic, { orderId: payment.orderId, paymentId: payment.id, reason });
}
