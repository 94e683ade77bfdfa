import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { createLogger } from '@shop/platform/logger';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { stockStatus } from '@shop/platform/stock-status';
import { topicNames } from '@shop/platform/topics';
import { listenOnRandomPort, MemoryEvents, stockChanged } from '@shop/platform/testing/live-events';
import { SESSION_KEY_PREFIX } from './fakes.ts';
import { next, openSocket, waitUntil, watch, type TestSocket } from './live-fakes.ts';
import { startShop, type Shop } from './shop.ts';

/**
 * Integration, real Redis and Kafka: two bff-web instances with the Redis streams adapter
 * (LIVE_REDIS_ADAPTER, as BFF_WEB_INSTANCES > 1 runs them). A socket on one instance gets the events the
 * other consumed, and although each instance consumes every event (a group per instance), every socket
 * gets each change exactly once.
 */
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('live hubs of two instances', () => {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const shared = { LIVE_REDIS_ADAPTER: 'true', LIVE_REDIS_PREFIX: `${SESSION_KEY_PREFIX}live:` };
  const shops: Shop[] = [];
  const sockets: TestSocket[] = [];
  let publisher: Publisher | undefined;

  async function startHub(options: Parameters<typeof startShop>[0]) {
    const shop = await startShop(options);
    shops.push(shop);
    return { shop, url: await listenOnRandomPort(shop.app) };
  }

  async function socketOn(url: string, skus: string[]) {
    const socket = await openSocket(url);
    sockets.push(socket);
    expect(await watch(socket, skus)).toEqual({ watching: skus.length });
    return socket;
  }

  /** Every stock change the socket receives, in order. */
  function received(socket: TestSocket) {
    const seen: unknown[] = [];
    socket.on('stock:changed', (change) => seen.push(change));
    return seen;
  }

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await publisher?.close();
    for (const shop of shops) await shop.close().catch(() => undefined);
  });

  it('a socket on instance A gets the change instance B consumed', async () => {
    const feed = new MemoryEvents();
    const a = await startHub({ liveEvents: null, env: shared });
    const b = await startHub({ liveEvents: feed, env: shared });
    const sku = `LIVE-A${run}`.slice(0, 16);
    const onA = await socketOn(a.url, [sku]);
    const change = next(onA, 'stock:changed', 10_000);
    await feed.publish(stockChanged(sku, 4, 3));
    expect(await change).toEqual({ sku, available: 4, status: stockStatus(4), version: 3 });
    void b;
  }, 30_000);

  it('every socket on both instances gets each change once, though both consumed it from Kafka', async () => {
    const prefix = `test-${run.toLowerCase()}.`;
    const kafka = { LIVE_ENABLED: 'true', KAFKA_BROKERS, TOPIC_PREFIX: prefix };
    const a = await startHub({ liveEvents: 'kafka', env: { ...shared, ...kafka, INSTANCE_ID: `a-${run}` } });
    const b = await startHub({ liveEvents: 'kafka', env: { ...shared, ...kafka, INSTANCE_ID: `b-${run}` } });
    for (const { shop } of [a, b]) await waitUntil(async () => (await shop.app.inject('/ready')).statusCode === 200, 120_000, 'bff-web ready');

    const sku = `LIVE-K${run}`.slice(0, 16);
    const pages = [await socketOn(a.url, [sku]), await socketOn(a.url, [sku]), await socketOn(b.url, [sku]), await socketOn(b.url, [sku])];
    const seen = pages.map(received);

    publisher = await createPublisher({ brokers: brokerList(KAFKA_BROKERS), clientId: `bff-web-test-${run}`, logger: createLogger('test', 'silent') });
    const publish = (event: CloudEvent) => publisher!.publish(topicNames(prefix).inventory, [{ key: event.subject, value: JSON.stringify(event) }]);
    await publish(stockChanged(sku, 5, 1));
    await publish(stockChanged(sku, 0, 2));
    // Once every page has the second change, a duplicate of the first would have come before it.
    await expect.poll(() => seen.every((changes) => changes.some((c) => (c as { version: number }).version === 2)), { timeout: 30_000 }).toBe(true);
    for (const changes of seen) {
      expect(changes).toEqual([
        { sku, available: 5, status: stockStatus(5), version: 1 },
        { sku, available: 0, status: 'out', version: 2 },
      ]);
    }
  }, 180_000);
});
