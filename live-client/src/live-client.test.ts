import { describe, expect, it } from 'vitest';
import { createLiveClient, MAX_SKUS_PER_WATCH, type LiveSocket } from './live-client.ts';

type Handler = (...args: unknown[]) => void;

/** Stands in for a socket.io socket: records emits, lets the test fire server events. */
class FakeSocket {
  connected = false;
  recovered = false;
  emitted: Array<[string, unknown]> = [];
  private handlers = new Map<string, Handler[]>();
  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, payload: unknown) {
    this.emitted.push([event, payload]);
    return this;
  }
  close() {
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
  connect(recovered = false) {
    this.connected = true;
    this.recovered = recovered;
    this.fire('connect');
  }
  disconnect() {
    this.connected = false;
    this.fire('disconnect');
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

  it('sends watch once per sku while counting references, unwatch at zero', () => {
    const { fake, client } = setup();
    fake.connect();
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
    fake.connect();
    expect(fake.emitted).toEqual([['watch', ['KIT-1', 'KIT-2']]]);
  });

  it('splits large watch lists into calls the hub accepts', () => {
    const { fake, client } = setup();
    fake.connect();
    client.watch(Array.from({ length: MAX_SKUS_PER_WATCH + 1 }, (_, i) => `SKU-${i}`));
    expect(fake.emitted.map(([, skus]) => (skus as string[]).length)).toEqual([MAX_SKUS_PER_WATCH, 1]);
  });

  it('re-sends watches on reconnect and asks for a resync only when state was not recovered', () => {
    const { fake, client } = setup();
    let resyncs = 0;
    client.onResync(() => (resyncs += 1));
    client.watch(['KIT-1']);
    fake.connect();
    expect(resyncs).toBe(0); // first connect: the page's data is fresh

    fake.disconnect();
    fake.connect(true);
    expect(resyncs).toBe(0);
    fake.disconnect();
    fake.connect(false);
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
      first.connect();

      client.reconnect();
      expect(first.connected).toBe(false);
      expect(sockets).toHaveLength(2);
      const second = sockets[1]!;
      second.connect();
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
      sockets[0]!.connect();
      client.reconnect();
      sockets[0]!.fire('cart:changed', { cartId: 'guest-1', itemCount: 5, version: 9 });
      sockets[0]!.connect();
      expect(carts).toEqual([]);
      expect(resyncs).toBe(0);
      expect(sockets[0]!.emitted).toEqual([]);
    });
  });
});
