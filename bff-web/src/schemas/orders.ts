import { Type } from 'typebox';
import { OrderStatus } from '@shop/contracts/api/orders';

/** `POST /api/checkout` answers 202 with the new order (its status then moves on live: `order:status`). */
export const CheckoutAccepted = Type.Object({ orderId: Type.String(), status: OrderStatus });

/** A client's own key per checkout attempt; without one, bff-web derives one (see lib/idempotency.ts). */
export const CheckoutHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{8,100}$' })),
});

export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
