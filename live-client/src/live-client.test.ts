import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLiveClient,
  createSocket,
  OPEN_WHEN_IDLE_WITHIN_MS,
  MAX_SKUS_PER_WATCH,
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  RECONNECT_STABLE_MS,
  reconnectDelayMs,
  type LiveSocket,
} from './live-client.ts';

type Handler = (...args: unknown[]) => void;

/** Stands in for a socket.io socket: records emits, lets the test fire server events. */
class FakeSocket {
  connected = false;
  recovered = false;
  /** Whether socket.io itself would reconnect (its subscriptions are still in place). */
  active = true;
  /** How often the client called `connect()` (asked socket.io to reconnect). */
  connectCalls = 0;
  emitted: Array<[string, unknown]> = [];
  /** Acknowledgement callbacks of emits not answered yet, oldest first. */
  pendingAcks: Array<(result: unknown) => void> = [];
  private handlers = new Map<string, Handler[]>();
  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, payload: unknown, ack?: (result: unknown) => void) {
    this.emitted.push([event, payload]);
    if (ack) this.pendingAcks.push(ack);
    return this;
  }
  /** The server answers the oldest emit still waiting (in order, as socket.io delivers). */
  answer(result: unknown = { watching: 1 }) {
    this.pendingAcks.shift()?.(result);
  }
  close() {
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
  connect() {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }
  /** The server accepted the (re)connection. */
  accept(recovered = false) {
    this.connected = true;
    this.active = true;
    this.recovered = recovered;
    this.fire('connect');
  }
  /** socket.io's reasons: it retries a lost transport itself, not a disconnect the server started. */
  disconnect(reason = 'transport close') {
    this.connected = false;
    this.active = reason !== 'io server disconnect' && reason !== 'io client disconnect';
    this.fire('disconnect', reason);
  }
  /** A handshake refused by a server middleware: socket.io gives up on it. */
  refuse() {
    this.active = false;
    this.fire('connect_error', new Error('refused'));
  }
}

function setup() {
  const fake = new FakeSocket();
  let opened = 0;
  const client = createLiveClient(() => {
    opened += 1;
    return fake as unknown as LiveSocket;
  });
  return { fake, client, opened: () => opened };
}

describe('live client', () => {
  it('opens the socket lazily and only once', () => {
    const { client, opened } = setup();
    expect(opened()).toBe(0);
    client.watch(['A-1']);
    client.onStockChanged(() => {});
    expect(opened()).toBe(1);
  });

  it('tells a watcher once the hub has its products (the moment to refetch what it showed before), not earlier', () => {
    const { fake, client } = setup();
    let first = 0;
    client.watch(['KIT-1'], () => (first += 1)); // disconnected: waits for the watch sent on connecting
    fake.accept();
    expect(first).toBe(0);
    fake.answer();
    expect(first).toBe(1);
    // A sku watched already is asked again, for an answer of its own.
    let second = 0;
    client.watch(['KIT-1'], () => (second += 1));
    expect(fake.emitted.at(-1)).toEqual(['watch', ['KIT-1']]);
    expect(second).toBe(0);
    fake.answer();
    expect([first, second]).toEqual([1, 1]);
    // Released before the answer: not told.
    let released = 0;
    client.watch(['KIT-9'], () => (released += 1))();
    fake.answer();
    expect(released).toBe(0);
  });

  it('sends watch once per sku while counting references, unwatch at zero', () => {
    const { fake, client } = setup();
    fake.accept();
    const releaseA = client.watch(['KIT-1', 'KIT-2']);
    const releaseB = client.watch(['KIT-2', 'KIT-3']);
    expect(fake.emitted).toEqual([
      ['watch', ['KIT-1', 'KIT-2']],
      ['watch', ['KIT-3']],
    ]);
    releaseA();
    releaseA(); // a second release is ignored
    expect(fake.emitted.at(-1)).toEqual(['unwatch', ['KIT-1']]);
    releaseB();
    expect(fake.emitted.at(-1)).toEqual(['unwatch', ['KIT-2', 'KIT-3']]);
    expect(client.watched()).toEqual([]);
  });

  it('sends nothing while disconnected and the full set on connect', () => {
    const { fake, client } = setup();
    client.watch(['KIT-1']);
    client.watch(['KIT-2']);
    expect(fake.emitted).toEqual([]);
    fake.accept();
    expect(fake.emitted).toEqual([['watch', ['KIT-1', 'KIT-2']]]);
  });

  it('splits large watch lists into calls the hub accepts', () => {
    const { fake, client } = setup();
    fake.accept();
    client.watch(Array.from({ length: MAX_SKUS_PER_WATCH + 1 }, (_, i) => `SKU-${i}`));
    expect(fake.emitted.map(([, skus]) => (skus as string[]).length)).toEqual([MAX_SKUS_PER_WATCH, 1]);
  });

  it('re-sends watches on reconnect and asks for a resync only when state was not recovered', () => {
    const { fake, client } = setup();
    let resyncs = 0;
    client.onResync(() => (resyncs += 1));
    client.watch(['KIT-1']);
    fake.accept();
    expect(resyncs).toBe(0); // first connect: the page's data is fresh

    fake.disconnect();
    fake.accept(true);
    expect(resyncs).toBe(0);
    fake.disconnect();
    fake.accept(false);
    expect(resyncs).toBe(1);
    expect(fake.emitted.filter(([e]) => e === 'watch')).toHaveLength(3);
  });

  it('delivers server events to subscribers until they unsubscribe', () => {
    const { fake, client } = setup();
    const seen: unknown[] = [];
    const off = client.onStockChanged((u) => seen.push(u));
    client.onPriceChanged((u) => seen.push(u));
    const stock = { sku: 'KIT-1', available: 3, status: 'low', version: 2 };
    const price = { sku: 'KIT-1', price: { amount: 999, currency: 'EUR' }, version: 5 };
    fake.fire('stock:changed', stock);
    fake.fire('price:changed', price);
    off();
    fake.fire('stock:changed', { ...stock, version: 3 });
    expect(seen).toEqual([stock, price]);
  });

  it('delivers cart and order updates', () => {
    const { fake, client } = setup();
    const carts: unknown[] = [];
    const orders: unknown[] = [];
    client.onCartChanged((u) => carts.push(u));
    client.onOrderStatus((u) => orders.push(u));
    const cart = { cartId: 'guest-1', itemCount: 2, version: 3 };
    const order = { orderId: 'o-1', status: 'cancelled', reason: 'Your card was declined.', version: 4 };
    fake.fire('cart:changed', cart);
    fake.fire('order:status', order);
    expect(carts).toEqual([cart]);
    expect(orders).toEqual([order]);
  });

  describe('reconnect', () => {
    function setupMany() {
      const sockets: FakeSocket[] = [];
      const client = createLiveClient(() => {
        const fake = new FakeSocket();
        sockets.push(fake);
        return fake as unknown as LiveSocket;
      });
      return { sockets, client };
    }

    it('does nothing before a socket was opened', () => {
      const { sockets, client } = setupMany();
      client.reconnect();
      expect(sockets).toHaveLength(0);
    });

    it('replaces the socket, keeping watches and listeners, and asks for a resync', () => {
      const { sockets, client } = setupMany();
      const carts: unknown[] = [];
      let resyncs = 0;
      client.onCartChanged((u) => carts.push(u));
      client.onResync(() => (resyncs += 1));
      client.watch(['KIT-1']);
      const first = sockets[0]!;
      first.accept();

      client.reconnect();
      expect(first.connected).toBe(false);
      expect(sockets).toHaveLength(2);
      const second = sockets[1]!;
      second.accept();
      expect(second.emitted).toEqual([['watch', ['KIT-1']]]);
      expect(resyncs).toBe(1); // whatever happened between the two sockets is lost

      second.fire('cart:changed', { cartId: 'user-1', itemCount: 1, version: 1 });
      expect(carts).toEqual([{ cartId: 'user-1', itemCount: 1, version: 1 }]);
    });

    it('ignores whatever the replaced socket still fires', () => {
      const { sockets, client } = setupMany();
      const carts: unknown[] = [];
      let resyncs = 0;
      client.onCartChanged((u) => carts.push(u));
      client.onResync(() => (resyncs += 1));
      sockets[0]!.accept();
      client.reconnect();
      sockets[0]!.fire('cart:changed', { cartId: 'guest-1', itemCount: 5, version: 9 });
      sockets[0]!.accept();
      expect(carts).toEqual([]);
      expect(resyncs).toBe(0);
      expect(sockets[0]!.emitted).toEqual([]);
    });
  });

  describe('after a disconnect socket.io does not retry', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      vi.spyOn(Math, 'random').mockReturnValue(0.999999); // each delay at its ceiling: 250, 500, 1000 ms…
    });
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it('reconnects after the server disconnected it, rejoins its rooms and signals a resync', () => {
      const { fake, client } = setup();
      let resyncs = 0;
      client.onResync(() => (resyncs += 1));
      client.watch(['KIT-1', 'KIT-2']);
      fake.accept();
      fake.emitted.length = 0;

      fake.disconnect('io server disconnect'); // a graceful restart of bff-web
      expect(fake.connectCalls).toBe(0); // not at once: after a backoff step
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(1);

      fake.accept(false); // the new process has no state to recover
      expect(fake.emitted).toEqual([['watch', ['KIT-1', 'KIT-2']]]);
      expect(resyncs).toBe(1);
    });

    it('retries a refused handshake with a growing delay, and starts over once connected for a while', () => {
      const { fake, client } = setup();
      client.watch(['KIT-1']);
      fake.accept();
      fake.disconnect('io server disconnect');
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(1);

      fake.refuse();
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(1); // the second step waits longer than the first
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(2);

      fake.accept();
      vi.advanceTimersByTime(RECONNECT_STABLE_MS);
      fake.disconnect('io server disconnect');
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(3);
    });

    it('a server that drops it at once keeps the backoff growing', () => {
      const { fake, client } = setup();
      client.watch(['KIT-1']);
      fake.accept();
      fake.disconnect('io server disconnect');
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      fake.accept();
      fake.disconnect('io server disconnect');
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(1);
      vi.advanceTimersByTime(RECONNECT_BASE_MS);
      expect(fake.connectCalls).toBe(2);
    });

    it('leaves lost transports to socket.io and does not reconnect after its own close', () => {
      const { fake, client } = setup();
      client.watch(['KIT-1']);
      fake.accept();
      fake.disconnect('transport close');
      vi.advanceTimersByTime(RECONNECT_MAX_MS);
      expect(fake.connectCalls).toBe(0);

      fake.accept();
      fake.disconnect('io server disconnect');
      client.close();
      vi.advanceTimersByTime(RECONNECT_MAX_MS);
      expect(fake.connectCalls).toBe(0);
    });
  });

  it('grows the reconnect delay exponentially up to a ceiling, jittered down to half', () => {
    expect(reconnectDelayMs(0, 0.999999)).toBe(RECONNECT_BASE_MS);
    expect(reconnectDelayMs(0, 0)).toBe(RECONNECT_BASE_MS / 2);
    expect(reconnectDelayMs(3, 0.999999)).toBe(RECONNECT_BASE_MS * 8);
    expect(reconnectDelayMs(30, 0.999999)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(30, 0)).toBe(RECONNECT_MAX_MS / 2);
  });
});

describe('opening the socket', () => {
  let idle: { task: () => void; timeout?: number }[];
  beforeEach(() => {
    idle = [];
    vi.stubGlobal('requestIdleCallback', (task: () => void, options?: { timeout?: number }) => idle.push({ task, timeout: options?.timeout }));
  });
  afterEach(() => vi.unstubAllGlobals());
  const url = 'http://127.0.0.1:9';

  it('connects once the browser is idle, in a task of its own, not while the page hydrates', () => {
    const sockets: LiveSocket[] = [];
    const client = createLiveClient(() => sockets[sockets.push(createSocket({ url })) - 1]!);
    client.watch(['KIT-1']); // first use: the socket is made
    try {
      expect(sockets[0]?.active).toBe(false); // no connection attempt yet
      expect(idle.map((i) => i.timeout)).toEqual([OPEN_WHEN_IDLE_WITHIN_MS]);
      idle[0]?.task();
      expect(sockets[0]?.active).toBe(true); // connecting (and retrying, as socket.io does)
    } finally {
      client.close();
    }
  });

  it('leaves closed a socket replaced or closed before the browser was idle', () => {
    const sockets: LiveSocket[] = [];
    const client = createLiveClient(() => sockets[sockets.push(createSocket({ url })) - 1]!);
    client.watch(['KIT-1']);
    client.reconnect(); // a sign-in right after the page loaded
    for (const { task } of idle) task();
    try {
      expect(sockets.map((s) => s.active)).toEqual([false, true]);
      client.close();
      const closed = createLiveClient(() => sockets[sockets.push(createSocket({ url })) - 1]!);
      closed.watch(['KIT-2']);
      closed.close(); // the page went away first
      for (const { task } of idle.slice(2)) task();
      expect(sockets[2]?.active).toBe(false);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
