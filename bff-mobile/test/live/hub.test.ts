import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryChangeLog } from '../../src/live/memory-change-log.ts';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { appWithFakes } from '../support/app.ts';
import { listenOnRandomPort, MemoryEvents, orderStatusChanged, stockChanged } from '@shop/platform/testing/live-events';
import { cartUpdated, LiveClient, settle } from '../support/live.ts';

/** The `/m` namespace over an in-memory event feed and change log (kept small: 5 changes per stream). */
describe('live updates on /m', () => {
  const events = new MemoryEvents();
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  let url: string;
  const clients: LiveClient[] = [];
  const client = (auth: ConstructorParameters<typeof LiveClient>[1]) => {
    const c = new LiveClient(url, auth);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await appWithFakes({
      products: [product('LIVE-0001'), product('LIVE-0002')],
      levels: [stock('LIVE-0001', 10, 1), stock('LIVE-0002', 4, 7)],
      deps: { liveEvents: events, changeLog: memoryChangeLog({ maxEntries: 5, ttlMs: 60_000 }) },
    });
    url = await listenOnRandomPort(t.app);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(() => t.close());

  /** A stock change as inventory makes it: the level moves, and the event follows. */
  const changeStock = async (sku: string, available: number) => {
    const version = t.fakes.inventory.set(sku, available);
    await events.publish(stockChanged(sku, available, version));
    return version;
  };

  it('refuses a connection without a valid token, with a problem', async () => {
    const forged = await t.fakes.keys.forge({ id: 'u', email: 'u@example.com', name: 'U' });
    for (const auth of [{ token: forged }, { token: 'garbage' }, {} as { token: string }]) {
      const err = await client(auth).refused();
      expect(err.data).toMatchObject({ status: 401, code: 'MOBILE_UNAUTHORIZED' });
    }
    const { accessToken } = await t.signUp();
    const badSince = await client({ token: accessToken, since: { user: 'not-a-seq' } }).refused();
    expect(badSince.data).toMatchObject({ status: 400, code: 'MOBILE_VALIDATION_FAILED' });
  });

  it('gives a snapshot of each watched product, then pushes its changes', async () => {
    const { accessToken } = await t.signUp();
    const app = client({ token: accessToken });
    await app.connect();
    expect(await app.watch({ skus: ['LIVE-0001', 'LIVE-0002'] })).toEqual({ watching: 2 });
    const snapshots = app.of('stock:changed');
    expect(snapshots).toEqual(
      expect.arrayContaining([
        { sku: 'LIVE-0001', available: t.fakes.inventory.levels.get('LIVE-0001')!.available, status: expect.any(String), version: t.fakes.inventory.levels.get('LIVE-0001')!.version, snapshot: true },
        { sku: 'LIVE-0002', available: 4, status: 'low', version: 7, snapshot: true },
      ]),
    );
    app.clear();
    const version = await changeStock('LIVE-0002', 0);
    expect(await app.next('stock:changed')).toEqual({ sku: 'LIVE-0002', available: 0, status: 'out', version });
  });

  it('resume: an app offline while stock changed three times gets all three, in order, once', async () => {
    const { accessToken } = await t.signUp();
    const app = client({ token: accessToken });
    await app.connect();
    await app.watch({ skus: ['LIVE-0001'] });
    const seen = app.of('stock:changed').at(-1)!.version;
    app.disconnect();

    const missed = [await changeStock('LIVE-0001', 9), await changeStock('LIVE-0001', 8), await changeStock('LIVE-0001', 3)];

    app.clear();
    app.auth = { token: accessToken, since: { stock: { 'LIVE-0001': seen } } };
    await app.connect();
    await settle();
    expect(app.of('stock:changed')).toEqual([
      { sku: 'LIVE-0001', available: 9, status: 'in_stock', version: missed[0] },
      { sku: 'LIVE-0001', available: 8, status: 'in_stock', version: missed[1] },
      { sku: 'LIVE-0001', available: 3, status: 'low', version: missed[2] },
    ]);
    // And it goes on live from there.
    const after = await changeStock('LIVE-0001', 2);
    await app.waitFor('stock:changed', 4);
    expect(app.of('stock:changed').at(-1)).toMatchObject({ version: after });
  });

  it('an app gone longer than the log reaches gets a snapshot instead of a partial replay', async () => {
    const { accessToken } = await t.signUp();
    const app = client({ token: accessToken });
    await app.connect();
    await app.watch({ skus: ['LIVE-0001'] });
    const seen = app.of('stock:changed').at(-1)!.version;
    app.disconnect();
    for (let i = 0; i < 8; i++) await changeStock('LIVE-0001', 20 + i); // more than the 5 kept

    app.clear();
    app.auth = { token: accessToken, since: { stock: { 'LIVE-0001': seen } } };
    await app.connect();
    await settle();
    expect(app.of('stock:changed')).toEqual([
      { sku: 'LIVE-0001', available: 27, status: 'in_stock', version: t.fakes.inventory.levels.get('LIVE-0001')!.version, snapshot: true },
    ]);
  });

  it("pushes the user's order status and cart changes, to that user only, and resumes them by seq", async () => {
    const ada = await t.signUp();
    const eve = await t.signUp();
    const adaApp = client({ token: ada.accessToken });
    const eveApp = client({ token: eve.accessToken });
    await adaApp.connect();
    await eveApp.connect();
    expect(adaApp.of('sync')).toEqual([{ seq: expect.stringMatching(/^\d+-\d+$/), snapshot: true }]); // no position given

    await events.publish(orderStatusChanged('0b7d6c1e-0000-4000-8000-000000000001', ada.userId, 'placed', 1));
    await events.publish(cartUpdated(ada.userId, 0, 3));
    const order = await adaApp.next('order:status');
    expect(order).toEqual({ seq: expect.any(String), orderId: '0b7d6c1e-0000-4000-8000-000000000001', status: 'placed', version: 1 });
    const cart = (await adaApp.waitFor('cart:changed', 1))[0]!;
    expect(cart).toEqual({ seq: expect.any(String), itemCount: 0, version: 3 });

    // Offline: the order moves on twice; back with the last seq it saw, it gets both, once, then a sync.
    adaApp.disconnect();
    const paid = orderStatusChanged('0b7d6c1e-0000-4000-8000-000000000001', ada.userId, 'paid', 3);
    await events.publish(paid);
    await events.publish(paid); // redelivered by Kafka: logged once
    await events.publish(orderStatusChanged('0b7d6c1e-0000-4000-8000-000000000001', ada.userId, 'confirmed', 4));
    adaApp.clear();
    adaApp.auth = { token: ada.accessToken, since: { user: cart.seq } };
    await adaApp.connect();
    await settle();
    expect(adaApp.received.map(([event, payload]) => [event, 'status' in payload ? payload.status : payload])).toEqual([
      ['order:status', 'paid'],
      ['order:status', 'confirmed'],
      ['sync', { seq: expect.any(String), snapshot: false }],
    ]);
    expect(eveApp.of('order:status')).toEqual([]);
    expect(eveApp.of('cart:changed')).toEqual([]);
  });

  it('refuses a watch of more than it allows, and of things that are not SKUs', async () => {
    const { accessToken } = await t.signUp();
    const app = client({ token: accessToken });
    await app.connect();
    expect(await app.watch({ skus: ['not a sku'] })).toEqual({ error: expect.stringContaining('skus') });
    expect(await app.watch({ skus: Array.from({ length: 101 }, (_, i) => `MANY-${i}`) })).toEqual({ error: expect.any(String) });
    expect(await app.watch({ skus: ['LIVE-0001'] })).toEqual({ watching: 1 });
  });
});

describe('a graceful stop of /m', () => {
  it('tells every app to move, so it reconnects elsewhere, and stops without waiting for them', async () => {
    const t = await appWithFakes({ deps: { liveEvents: new MemoryEvents() } });
    const url = await listenOnRandomPort(t.app);
    const { accessToken } = await t.signUp();
    const app = new LiveClient(url, { token: accessToken });
    try {
      await app.connect();
      const told = new Promise((resolve) => app.socket.once('disconnect', resolve));
      const closed = t.close();
      expect(await told).toBe('io server disconnect');
      await closed; // an open /m socket would otherwise hold the HTTP server's close until the forced exit
      expect(await new LiveClient(url, { token: accessToken }).refused()).toBeInstanceOf(Error);
    } finally {
      app.disconnect();
    }
  }, 20_000);
});

