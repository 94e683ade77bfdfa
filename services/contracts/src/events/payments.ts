import { Type, type Static } from 'typebox';
import { eventSchema } from '../envelope.ts';
import { Money } from '../money.ts';

/** Answers to `order.payment.requested`; subject is the order id. */
export const PaymentEventTypes = {
  authorized: 'payment.authorized',
  declined: 'payment.declined',
} as const;

export const PaymentAuthorizedData = Type.Object({ orderId: Type.String(), paymentId: Type.String(), amount: Money });
export type PaymentAuthorizedData = Static<typeof PaymentAuthorizedData>;
export const PaymentAuthorized = eventSchema(PaymentEventTypes.authorized, PaymentAuthorizedData);

export const PaymentDeclinedData = Type.Object({
  orderId: Type.String(),
  paymentId: Type.String(),
  /** `declined` by the card issuer, or `timeout` when the provider did not answer in time. */
  reason: Type.Union([Type.Literal('declined'), Type.Literal('timeout')]),
});
export type PaymentDeclinedData = Static<typeof PaymentDeclinedData>;
export const PaymentDeclined = eventSchema(PaymentEventTypes.declined, PaymentDeclinedData);
