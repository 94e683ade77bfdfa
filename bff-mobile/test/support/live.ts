import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { OrderStatus } from '@shop/contracts/api/orders';
import { CartEventTypes } from '@shop/contracts/events/cart';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import { createEvent } from '@shop/platform/outbox';
import type { App } from '@shop/platform/server';
import type { LiveEventSource } from '@shop/platform/event-source';
import type { LiveHandshake, MobileClientEvents, MobileServerEvents, WatchRequest } from '../../src/schemas/live.ts';

export type MobileSocket = Socket<MobileServerEvents, MobileClientEvents>;
export type Received = { [E in keyof MobileServerEvents]: [E, Parameters<MobileServerEvents[E]>[0]] }[keyof MobileServerEvents];

export const stockChanged = (sku: string, available: number, version: number) =>
  createEvent('inventory', { type: InventoryEventTypes.stockChanged, subject: sku, data: { sku, available, reserved: 0, version } });

export const cartUpdated = (userId: string, itemCount: number, version: number) =>
  createEvent('cart', { type: CartEventTypes.updated, subject: `user-${userId}`, data: { cartId: `user-${userId}`, itemCount, version } });

export const orderStatusChanged = (orderId: string, customerId: string, status: OrderStatus, version: number, reason?: string) =>
  createEvent('orders', {
    type: OrderEventTypes.statusChanged,
    subject: orderId,
    data: { orderId, customerId, status, version, ...(reason ? { reason } : {}) },
  });

/** An in-memory event feed standing in for Kafka. */
export class MemoryEvents implements LiveEventSource {
  private handle: ((event: CloudEvent) => Promise<void>) | undefined;

  async start(handle: (event: CloudEvent) => Promise<void>) {
    this.handle = handle;
    return { stop: async () => undefined };
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

/**
 * An app's live connection to `/m`: records every message in arrival order. `auth` is read at each
 * (re)connect, as an app would hand over its latest positions.
 */
export class LiveClient {
  readonly received: Received[] = [];
  readonly socket: MobileSocket;
  auth: LiveHandshake;

  constructor(url: string, auth: LiveHandshake) {
    this.auth = auth;
    this.socket = connect(`${url}/m`, {
      path: '/socket.io',
      transports: ['websocket'],
      autoConnect: false,
      reconnection: false,
      auth: (cb) => cb(this.auth),
    });
    this.socket.onAny((event: keyof MobileServerEvents, payload: unknown) => {
      this.received.push([event, payload] as Received);
    });
  }

  /** Connects and waits for the `sync` that follows catching up. */
  async connect(): Promise<void> {
    const synced = this.next('sync');
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('connect_error', reject);
      this.socket.connect();
    });
    await synced;
  }

  /** Connecting is refused: the error the app sees (its `data` is a problem). */
  refused(): Promise<Error & { data?: { status: number; code: string } }> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('connected although it should have been refused')));
      this.socket.once('connect_error', resolve);
      this.socket.connect();
    });
  }

  watch(request: WatchRequest) {
    return this.socket.timeout(5_000).emitWithAck('watch', request);
  }

  disconnect() {
    this.socket.disconnect();
  }

  of<E extends keyof MobileServerEvents>(event: E): Parameters<MobileServerEvents[E]>[0][] {
    return this.received.filter(([name]) => name === event).map(([, payload]) => payload) as never;
  }

  clear() {
    this.received.length = 0;
  }

  next<E extends keyof MobileServerEvents>(event: E, ms = 10_000) {
    return new Promise<Parameters<MobileServerEvents[E]>[0]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
      this.socket.once(event, ((value: Parameters<MobileServerEvents[E]>[0]) => {
        clearTimeout(timer);
        resolve(value);
      }) as never);
    });
  }

  /** Waits until `count` messages of that kind have arrived in all. */
  async waitFor<E extends keyof MobileServerEvents>(event: E, count: number, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (this.of(event).length < count) {
      if (Date.now() > deadline) throw new Error(`${this.of(event).length} of ${count} ${event} within ${ms} ms: ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.of(event);
  }
}

/** Lets socket.io deliver anything in flight (to show that nothing more arrives). */
export const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));
