import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';
import { Money } from '../money.ts';
import { OrderStatus } from '../api/orders.ts';
import { ReservationLine } from './inventory.ts';

/**
 * The checkout saga, orchestrated by orders. Subject is always the order id.
 *   order.placed            → inventory reserves (inventory.stock.reserved | inventory.reservation.rejected)
 *   order.payment.requested → payments charges  (payment.authorized | payment.declined)
 *   (payment.authorized: status paid)
 *   order.confirmed         → inventory turns the reservation into a sale (inventory.stock.committed: status confirmed)
 *   order.cancelled         → inventory releases what it reserved (inventory.stock.released)
 * order.status.changed accompanies every transition, for live views.
 */
export const OrderEventTypes = {
  placed: 'order.placed',
  paymentRequested: 'order.payment.requested',
  confirmed: 'order.confirmed',
  cancelled: 'order.cancelled',
  statusChanged: 'order.status.changed',
} as const;

export const OrderPlacedData = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  lines: Type.Array(ReservationLine),
  total: Money,
});
export type OrderPlacedData = Static<typeof OrderPlacedData>;
export const OrderPlaced = eventSchema(OrderEventTypes.placed, OrderPlacedData);
export const OrderPlacedV1 = eventContract(OrderEventTypes.placed, 1, OrderPlacedData);

export const PaymentRequestedData = Type.Object({ orderId: Type.String(), amount: Money, paymentMethodId: Type.String() });
export type PaymentRequestedData = Static<typeof PaymentRequestedData>;
export const PaymentRequested = eventSchema(OrderEventTypes.paymentRequested, PaymentRequestedData);
export const PaymentRequestedV1 = eventContract(OrderEventTypes.paymentRequested, 1, PaymentRequestedData);

export const OrderConfirmedData = Type.Object({ orderId: Type.String(), customerId: Type.String(), lines: Type.Array(ReservationLine) });
export type OrderConfirmedData = Static<typeof OrderConfirmedData>;
export const OrderConfirmed = eventSchema(OrderEventTypes.confirmed, OrderConfirmedData);
export const OrderConfirmedV1 = eventContract(OrderEventTypes.confirmed, 1, OrderConfirmedData);

export const OrderCancelledData = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  reason: Type.String(),
  lines: Type.Array(ReservationLine),
});
export type OrderCancelledData = Static<typeof OrderCancelledData>;
export const OrderCancelled = eventSchema(OrderEventTypes.cancelled, OrderCancelledData);
export const OrderCancelledV1 = eventContract(OrderEventTypes.cancelled, 1, OrderCancelledData);

export const OrderStatusChangedData = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  status: OrderStatus,
  reason: Type.Optional(Type.String()),
  version: Type.Integer(),
});
export type OrderStatusChangedData = Static<typeof OrderStatusChangedData>;
export const OrderStatusChanged = eventSchema(OrderEventTypes.statusChanged, OrderStatusChangedData);
export const OrderStatusChangedV1 = eventContract(OrderEventTypes.statusChanged, 1, OrderStatusChangedData);
