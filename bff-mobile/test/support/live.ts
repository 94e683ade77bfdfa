import { io as connect, type Socket } from 'socket.io-client';
import { cartUpdated as cartUpdatedEvent } from '@shop/platform/testing/live-events';
import type { LiveHandshake, MobileClientEvents, MobileServerEvents, WatchRequest } from '../../src/schemas/live.ts';

export type MobileSocket = Socket<MobileServerEvents, MobileClientEvents>;
export type Received = { [E in keyof MobileServerEvents]: [E, Parameters<MobileServerEvents[E]>[0]] }[keyof MobileServerEvents];

/** A signed-in user's cart changed (user carts are `user-<userId>`). */
export const cartUpdated = (userId: string, itemCount: number, version: number) => cartUpdatedEvent(`user-${userId}`, itemCount, version);

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
