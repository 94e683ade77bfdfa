import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { OrderStatus } from '@shop/contracts/api/orders';
import { CartEventTypes } from '@shop/contracts/events/cart';
import { CatalogEventTypes } from '@shop/contracts/events/catalog';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import type { ClientToServerEvents, ServerToClientEvents } from '@shop/contracts/live';
import { createEvent } from '@shop/platform/outbox';
import type { App } from '@shop/platform/server';
import type { LiveEventSource } from '@shop/platform/event-source';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const stockChanged = (sku: string, available: number, version: number) =>
  createEvent('inventory', { type: InventoryEventTypes.stockChanged, subject: sku, data: { sku, available, reserved: 1, version } });

export const priceChanged = (sku: string, amount: number, version: number) =>
  createEvent('catalog', {
    type: CatalogEventTypes.priceChanged,
    subject: sku,
    data: { sku, price: { amount, currency: 'EUR' }, previousPrice: { amount: amount + 100, currency: 'EUR' }, version },
  });

export const cartUpdated = (cartId: string, itemCount: number, version: number) =>
  createEvent('cart', { type: CartEventTypes.updated, subject: cartId, data: { cartId, itemCount, version } });

export const orderStatusChanged = (orderId: string, customerId: string, status: OrderStatus, version: number, reason?: string) =>
  createEvent('orders', {
    type: OrderEventTypes.statusChanged,
    subject: orderId,
    data: { orderId, customerId, status, version, ...(reason ? { reason } : {}) },
  });

/** An in-memory event feed standing in for Kafka; `failures` makes the first starts throw. */
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

  publish(event: CloudEvent): Promise<void> {
    if (!this.handle) throw new Error('not started');
    return this.handle(event);
  }
}

export async function listenOnRandomPort(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A socket as a page opens it; `sid` sends the session cookie with the handshake, as a browser does. */
export async function openSocket(url: string, sid?: string): Promise<TestSocket> {
  const socket: TestSocket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnectionDelay: 50,
    ...(sid ? { extraHeaders: { cookie: `sid=${sid}` } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export const watch = (socket: TestSocket, skus: unknown) =>
  socket.timeout(2_000).emitWithAck('watch', skus as string[]);

/** The next message of that kind the socket receives. */
export const next = <E extends keyof ServerToClientEvents>(socket: TestSocket, event: E, ms = 5_000) =>
  new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, ((value: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(value);
    }) as never);
  });

/** Polls until `ready` resolves true (for hooks, where expect.poll is not available). */
export async function waitUntil(ready: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
