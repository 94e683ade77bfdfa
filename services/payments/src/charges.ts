import { randomUUID } from 'node:crypto';
import type { PaymentRequestedData } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import type { HandlerContext } from '@shop/platform/event-handlers';
import { isExpired } from './card.ts';
import { paymentAuthorized, paymentDeclined } from './events/publish.ts';
import { authorizeWithin, type CardProvider } from './provider.ts';
import { claimPayment, findPaymentByOrder, findPaymentMethod, settlePayment, type DeclineReason, type Payment } from './repository.ts';

export interface ChargesContext extends HandlerContext {
  provider: CardProvider;
  providerTimeoutMs: number;
}

/**
 * Charges for `order.payment.requested`, once per order, in the consumer's transaction (the request's
 * processed-event record, the payment and its answer commit together). The provider is asked inside it.
 */
export async function charge(db: DbClient, { orderId, amount, paymentMethodId }: PaymentRequestedData, ctx: ChargesContext): Promise<void> {
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
