import type { StockLevel } from '@shop/contracts/api/inventory';
import { InventoryEventTypes, type StockChangedData } from '@shop/contracts/events/inventory';
import { Topics } from '@shop/contracts/topics';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

type InventoryEventType = (typeof InventoryEventTypes)[keyof typeof InventoryEventTypes];

/**
 * `topic` is the service's own topic behind the configured prefix (`topicNames(TOPIC_PREFIX).inventory`);
 * the default serves callers that run without a prefix.
 */
export function stockChanged(client: DbClient, level: StockLevel, topic: string = Topics.inventory): Promise<void> {
  const data: StockChangedData = { sku: level.sku, available: level.available, reserved: level.reserved, version: level.version };
  return enqueue(client, topic, createEvent(SERVICE_NAME, { type: InventoryEventTypes.stockChanged, subject: level.sku, data }));
}

/** An answer to the checkout saga; the subject is the order id, so one order's answers stay in order. */
export function sagaAnswer<D>(client: DbClient, topic: string, type: InventoryEventType, orderId: string, data: D): Promise<void> {
  return enqueue(client, topic, createEvent(SERVICE_NAME, { type, subject: orderId, data }));
}
