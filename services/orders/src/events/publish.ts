import {
  OrderEventTypes, type OrderCancelledData, type OrderConfirmedData, type OrderPlacedData, type OrderStatusChangedData,
  type PaymentRequestedData,
} from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';
import type { OrderRow } from '../repository.ts';

// Every event's subject is the order id: one order's events share a partition and stay in order.
// `topic` is orders' own topic behind the configured prefix.

type OrderEventType = (typeof OrderEventTypes)[keyof typeof OrderEventTypes];

const publish = <D>(db: DbClient, topic: string, type: OrderEventType, orderId: string, data: D) =>
  enqueue(db, topic, createEvent(SERVICE_NAME, { type, subject: orderId, data }));

/** What inventory holds per order: SKU and quantity, no prices. */
const reservationLines = (order: OrderRow) => order.lines.map(({ sku, quantity }) => ({ sku, quantity }));

export const orderPlaced = (db: DbClient, topic: string, order: OrderRow) =>
  publish<OrderPlacedData>(db, topic, OrderEventTypes.placed, order.id, {
    orderId: order.id, customerId: order.customerId, lines: reservationLines(order), total: order.total,
  });

export const paymentRequested = (db: DbClient, topic: string, order: OrderRow) =>
  publish<PaymentRequestedData>(db, topic, OrderEventTypes.paymentRequested, order.id, {
    orderId: order.id, amount: order.total, paymentMethodId: order.paymentMethodId,
  });

export const orderConfirmed = (db: DbClient, topic: string, order: OrderRow) =>
  publish<OrderConfirmedData>(db, topic, OrderEventTypes.confirmed, order.id, {
    orderId: order.id, customerId: order.customerId, lines: reservationLines(order),
  });

export const orderCancelled = (db: DbClient, topic: string, order: OrderRow, reason: string) =>
  publish<OrderCancelledData>(db, topic, OrderEventTypes.cancelled, order.id, {
    orderId: order.id, customerId: order.customerId, reason, lines: reservationLines(order),
  });

export const statusChanged = (db: DbClient, topic: string, order: OrderRow) =>
  publish<OrderStatusChangedData>(db, topic, OrderEventTypes.statusChanged, order.id, {
    orderId: order.id, customerId: order.customerId, status: order.status, ...(order.reason ? { reason: order.reason } : {}), version: order.version,
  });
