import type { StockLevel } from '@shop/contracts/api/inventory';
import { InventoryEventTypes, type StockChangedData } from '@shop/contracts/events/inventory';
import { Topics } from '@shop/contracts/topics';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

export function stockChanged(client: DbClient, level: StockLevel): Promise<void> {
  const data: StockChangedData = { sku: level.sku, available: level.available, reserved: level.reserved, version: level.version };
  return enqueue(client, Topics.inventory, createEvent(SERVICE_NAME, { type: InventoryEventTypes.stockChanged, subject: level.sku, data }));
}
