import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '@shop/platform/server';
import { buildApp } from '../../src/app.ts';
import { InvalidLiveEvent } from '@shop/platform/live-intake';
import { FakeCatalog, FakeInventory } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';
import { MemoryEvents, listenOnRandomPort, priceChanged, stockChanged } from '@shop/platform/testing/live-events';
import { next, openSocket, watch, type TestSocket } from '../live-fakes.ts';

// The hub's own behaviour, with an in-memory feed in place of Kafka (test/live-hub.test.ts uses a real broker).
let app: App | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await app?.close();
});

async function startHub(events = new MemoryEvents()) {
  app = await buildApp(testConfig(), { clients: { catalog: new FakeCatalog(), inventory: new FakeInventory() }, liveEvents: events });
  const url = await listenOnRandomPort(app);
  await expect.poll(() => events.starts, { timeout: 5_000 }).toBeGreaterThan(0);
  const socket = await openSocket(url);
  sockets.push(socket);
  return { events, socket, url };
}

describe('live hub', () => {
  it('pushes stock and price changes to the sockets watching the product', async () => {
    const { events, socket } = await startHub();
    expect(await watch(socket, ['KIT-0001', 'KIT-0002'])).toEqual({ watching: 2 });

    const stock = next(socket, 'stock:changed');
    await events.publish(stockChanged('OTHER-1', 9, 2)); // not watched: must not arrive first
    await events.publish(stockChanged('KIT-0001', 3, 7));
    expect(await stock).toEqual({ sku: 'KIT-0001', available: 3, status: 'low', version: 7 });

    const out = next(socket, 'stock:changed');
    await events.publish(stockChanged('KIT-0002', 0, 4));
    expect(await out).toEqual({ sku: 'KIT-0002', available: 0, status: 'out', version: 4 });

    const price = next(socket, 'price:changed');
    await events.publish(priceChanged('KIT-0001', 1299, 5));
    expect(await price).toEqual({ sku: 'KIT-0001', price: { amount: 1299, currency: 'EUR', formatted: '€12.99' }, version: 5 });
  });

  it('stops pushing a product after unwatch', async () => {
    const { events, socket } = await startHub();
    await watch(socket, ['KIT-0001', 'KIT-0002']);
    socket.emit('unwatch', ['KIT-0001']);
    expect(await watch(socket, [])).toEqual({ watching: 1 }); // a round trip: the unwatch has landed

    const received = next(socket, 'stock:changed');
    await events.publish(stockChanged('KIT-0001', 50, 2));
    await events.publish(stockChanged('KIT-0002', 50, 2));
    expect((await received).sku).toBe('KIT-0002');
  });

  it.each([
    ['not an array', 'KIT-0001', /array/],
    ['a malformed sku', ['KIT-0001', 'bad sku'], /\/1/],
    ['more than 100 skus', Array.from({ length: 101 }, (_, i) => `SKU-${i}`), /at most 100/],
  ])('refuses a watch with %s and joins nothing', async (_case, skus, message) => {
    const { events, socket } = await startHub();
    const answer = await watch(socket, skus);
    expect(answer).toEqual({ error: expect.stringMatching(message) });

    await watch(socket, ['LAST-1']);
    const received = next(socket, 'stock:changed');
    await events.publish(stockChanged('KIT-0001', 5, 2));
    await events.publish(stockChanged('LAST-1', 5, 2));
    expect((await received).sku).toBe('LAST-1');
  });

  it('replays what a briefly disconnected page missed (connection state recovery)', async () => {
    const { events, socket } = await startHub();
    await watch(socket, ['KIT-0001']);
    const first = next(socket, 'stock:changed');
    await events.publish(stockChanged('KIT-0001', 10, 1));
    await first;

    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.io.engine.close(); // the network drops; the client reconnects on its own
    await dropped;
    await events.publish(stockChanged('KIT-0001', 4, 2));

    const missed = await next(socket, 'stock:changed');
    expect(missed).toEqual({ sku: 'KIT-0001', available: 4, status: 'low', version: 2 });
    expect(socket.recovered).toBe(true);
  });

  it('on close (SIGTERM) tells every page to move, so it reconnects elsewhere, and stops without waiting for them', async () => {
    const { socket, url } = await startHub();
    await watch(socket, ['KIT-0001']);
    const told = new Promise((resolve) => socket.once('disconnect', resolve));
    const closed = app!.close();
    expect(await told).toBe('io server disconnect');
    await closed; // open websockets would otherwise hold the HTTP server's close until the forced exit
    app = undefined;
    await expect(openSocket(url)).rejects.toThrow();
  });

  it('is ready only once live events flow, retrying a source that is not up yet', async () => {
    const events = new MemoryEvents(1);
    app = await buildApp(testConfig(), { clients: { catalog: new FakeCatalog(), inventory: new FakeInventory() }, liveEvents: events });
    expect((await app.inject('/ready')).statusCode).toBe(503); // onReady has run; the first start failed

    await expect.poll(async () => (await app!.inject('/ready')).statusCode, { timeout: 10_000, interval: 100 }).toBe(200);
    expect(events.starts).toBe(2);
    await app.close();
    expect(events.stopped).toBe(true);
  });

  it('rejects a handled event whose data breaks the contract (so it is dead-lettered) and ignores other types', async () => {
    const { events } = await startHub();
    const bad = stockChanged('KIT-0001', 3, 7);
    await expect(events.publish({ ...bad, data: { ...bad.data, available: -1 } })).rejects.toBeInstanceOf(InvalidLiveEvent);
    await expect(events.publish({ ...bad, type: 'inventory.stock.reserved' })).resolves.toBeUndefined();
  });
});
