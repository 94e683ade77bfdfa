import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';
import { Money } from '../money.ts';

/**
 * Answers to `order.payment.requested`, and the compensation for a charge that landed for an order
 * already cancelled (`payment.voided`); subject is the order id.
 */
export const PaymentEventTypes = {
  authorized: 'payment.authorized',
  declined: 'payment.declined',
  voided: 'payment.voided',
} as const;

export const PaymentAuthorizedData = Type.Object({ orderId: Type.String(), paymentId: Type.String(), amount: Money });
export type PaymentAuthorizedData = Static<typeof PaymentAuthorizedData>;
export const PaymentAuthorized = eventSchema(PaymentEventTypes.authorized, PaymentAuthorizedData);
export const PaymentAuthorizedV1 = eventContract(PaymentEventTypes.authorized, 1, PaymentAuthorizedData);

export const PaymentDeclinedData = Type.Object({
  orderId: Type.String(),
  paymentId: Type.String(),
  /** `declined` by the card issuer, or `timeout` when the provider did not answer in time. */
  reason: Type.Union([Type.Literal('declined'), Type.Literal('timeout')]),
});
export type PaymentDeclinedData = Static<typeof PaymentDeclinedData>;
export const PaymentDeclined = eventSchema(PaymentEventTypes.declined, PaymentDeclinedData);
export const PaymentDeclinedV1 = eventContract(PaymentEventTypes.declined, 1, PaymentDeclinedData);

/** The authorization was voided at the provider: no money stays taken for an order that was cancelled. */
export const PaymentVoidedData = Type.Object({
  orderId: Type.String(),
  paymentId: Type.String(),
  /** What was authorized and is released again. */
  amount: Money,
});
export type PaymentVoidedData = Static<typeof PaymentVoidedData>;
export const PaymentVoided = eventSchema(PaymentEventTypes.voided, PaymentVoidedData);
export const PaymentVoidedV1 = eventContract(PaymentEventTypes.voided, 1, PaymentVoidedData);
