import { Type, type Static } from 'typebox';
import { OrderStatus as OrderStatusContract } from '@shop/contracts/api/orders';
import { Sku } from '@shop/contracts/money';
import { CheckoutBody } from '@shop/contracts/api/checkout';
import { Money } from './catalog.ts';
import { ref } from './shared.ts';

export const OrderStatus = Type.Union(OrderStatusContract.anyOf, { $id: 'OrderStatus' });

export const OrderLine = Type.Object(
  { sku: Sku, name: Type.String(), quantity: Type.Integer({ minimum: 1, maximum: 99 }), unitPrice: ref(Money), lineTotal: ref(Money) },
  { $id: 'OrderLine' },
);

export const MobileOrder = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: ref(OrderStatus),
    reason: Type.Optional(Type.String({ description: 'why an order was rejected or cancelled, in words a shopper understands' })),
    lines: Type.Array(ref(OrderLine)),
    total: ref(Money),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Order' },
);
export type MobileOrder = Static<typeof MobileOrder>;

export const OrderList = Type.Object({ items: Type.Array(ref(MobileOrder)) }, { $id: 'OrderList', description: 'newest first' });

export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CheckoutRequest = Type.Object(CheckoutBody.properties, { additionalProperties: false });

export const CheckoutHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 8,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'one per checkout the shopper means, e.g. a UUID; a retry with the same key and body returns the same order',
    }),
  ),
});

export const CheckoutAccepted = Type.Object(
  { orderId: Type.String({ format: 'uuid' }), status: ref(OrderStatus) },
  { $id: 'CheckoutAccepted', description: 'the order is being processed; its status changes arrive over /m' },
);
export type CheckoutAccepted = Static<typeof CheckoutAccepted>;

export const orderSchemas = [OrderStatus, OrderLine, MobileOrder, OrderList, CheckoutAccepted];
