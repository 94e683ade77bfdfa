import type { AddressInfo } from 'node:net';
import type { OrderStatus } from '@shop/contracts/api/orders';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CartEventTypes } from '@shop/contracts/events/cart';
import { CatalogEventTypes } from '@shop/contracts/events/catalog';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import type { LiveEventSource } from '../event-source.ts';
import { createEvent } from '../outbox.ts';
import type { App } from '../server.ts';

/** The events the live hubs act on, as their producers make them (CloudEvents; versions as given). For tests. */
export const stockChanged = (sku: string, available: number, version: number) =>
  createEvent('inventory', { type: InventoryEventTypes.stockChanged, subject: sku, data: { sku, available, reserved: 0, version } });

export const priceChanged = (sku: string, amount: number, version: number) =>
  createEvent('catalog', {
    type: CatalogEventTypes.priceChanged,
    subject: sku,
    data: { sku, price: { amount, currency: 'EUR' }, previousPrice: { amount: amount + 100, currency: 'EUR' }, version },
  });

export const productUpserted = (sku: string, category: string, version: number) =>
  createEvent('catalog', {
    type: CatalogEventTypes.productUpserted,
    subject: sku,
    data: { sku, name: `Product ${sku}`, description: `About ${sku}`, category, price: { amount: 1999, currency: 'EUR' }, version },
  });

export const cartUpdated = (cartId: string, itemCount: number, version: number) =>
  createEvent('cart', { type: CartEventTypes.updated, subject: cartId, data: { cartId, itemCount, version } });

export const orderStatusChanged = (orderId: string, customerId: string, status: OrderStatus, version: number, reason?: string) =>
  createEvent('orders', {
    type: OrderEventTypes.statusChanged,
    subject: orderId,
    data: { orderId, customerId, status, version, ...(reason ? { reason } : {}) },
  });

/** An in-memory event feed standing in for Kafka in unit tests; `failures` makes the first starts throw. */
export class MemoryEvents implements LiveEventSource {
  private handle: ((event: CloudEvent) => Promise<void>) | undefined;
  starts = 0;
  stopped = false;

  constructor(public failures = 0) {}

  async start(handle: (event: CloudEvent) => Promise<void>) {
    this.starts++;
    if (this.failures-- > 0) throw new Error('broker unreachable');
    this.handle = handle;
    return { stop: async () => void (this.stopped = true) };
  }

  /** Hands the event to the hub; rejects with what the hub's handler throws. */
  publish(event: CloudEvent): Promise<void> {
    if (!this.handle) throw new Error('not started');
    return this.handle(event);
  }
}

/** Listens on a free port of 127.0.0.1; the base URL. */
export async function listenOnRandomPort(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
