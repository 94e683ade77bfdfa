import { Type, type Static } from 'typebox';
import { CardDetails } from './payments.ts';
import { ShippingAddress } from './orders.ts';

/**
 * The checkout request both BFFs accept (bff-web `POST /api/checkout`, bff-mobile `POST /m/v1/checkout`);
 * each answers 202 `{orderId, status}`.
 */
export const CheckoutBody = Type.Object(
  { shippingAddress: ShippingAddress, payment: CardDetails },
  { additionalProperties: false },
);
export type CheckoutBody = Static<typeof CheckoutBody>;
