import { Type, type Static } from 'typebox';
import { Money, Sku } from '../money.ts';

/** DTOs of the orders service's HTTP API (port 7104). */

export const OrderStatus = Type.Union([
  Type.Literal('placed'),
  Type.Literal('reserved'),
  Type.Literal('paid'),
  Type.Literal('confirmed'),
  Type.Literal('rejected'),
  Type.Literal('cancelled'),
]);
export type OrderStatus = Static<typeof OrderStatus>;

export const ShippingAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 2, maxLength: 12 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);
export type ShippingAddress = Static<typeof ShippingAddress>;

export const OrderLine = Type.Object({
  sku: Sku,
  name: Type.String(),
  quantity: Type.Integer({ minimum: 1, maximum: 99 }),
  unitPrice: Money,
  lineTotal: Money,
});
export type OrderLine = Static<typeof OrderLine>;

export const PlaceOrderBody = Type.Object(
  {
    customerId: Type.String({ minLength: 1, maxLength: 80 }),
    lines: Type.Array(Type.Omit(OrderLine, ['lineTotal']), { minItems: 1, maxItems: 50 }),
    shippingAddress: ShippingAddress,
    paymentMethodId: Type.String({ format: 'uuid' }),
    /** A retry with the same key returns the same order. */
    idempotencyKey: Type.String({ minLength: 8, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

/** A step on an order's timeline that undid something without changing its status, by the event that did it. */
export const OrderStep = Type.Union([Type.Literal('payment.voided')]);
export type OrderStep = Static<typeof OrderStep>;

export const StatusChange = Type.Object({
  status: OrderStatus,
  at: Type.String({ format: 'date-time' }),
  reason: Type.Optional(Type.String()),
  /** Set on a compensation recorded after the order settled (its status stays as it was). */
  step: Type.Optional(OrderStep),
});

export const Order = Type.Object({
  id: Type.String({ format: 'uuid' }),
  customerId: Type.String(),
  status: OrderStatus,
  /** Why an order was rejected or cancelled, in words a shopper understands. */
  reason: Type.Optional(Type.String()),
  lines: Type.Array(OrderLine),
  total: Money,
  shippingAddress: ShippingAddress,
  history: Type.Array(StatusChange),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});
export type Order = Static<typeof Order>;

/** `GET /orders?customerId=&limit=`: the customer's orders, newest first. */
export const OrderList = Type.Object({ items: Type.Array(Order) });
export type OrderList = Static<typeof OrderList>;
