import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { StockUpdate } from '@shop/contracts/live';
import { brokerList } from '@shop/platform/config';
import { createLogger } from '@shop/platform/logger';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import type { App } from '@shop/platform/server';
import { parseMetrics, sampleValue } from '@shop/platform/testing/prometheus';
import { topicNames } from '@shop/platform/topics';
import { startShop, type Shop } from './shop.ts';
import { cartUpdated, listenOnRandomPort, orderStatusChanged, priceChanged, stockChanged } from '@shop/platform/testing/live-events';
import { next, openSocket, waitUntil, watch, type TestSocket } from './live-fakes.ts';

/**
 * Integration: the hub against a real Kafka broker (the suite's globalSetup provides one), on topics
 * unique to this run.
 */
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafka = { brokers: brokerList(KAFKA_BROKERS), clientId: 'bff-web-test', logger: createLogger('bff-web-test', 'silent') };

describe('live hub over Kafka', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `test-${run}.`;
  const topics = topicNames(prefix);
  let shop: Shop;
  let app: App;
  let url: string;
  let publisher: Publisher;
  let socket: TestSocket;

  const publish = (topic: string, event: CloudEvent) =>
    publisher.publish(topic, [{ key: event.subject, value: JSON.stringify(event) }]);

  beforeAll(async () => {
    shop = await startShop({
      liveEvents: 'kafka',
      env: { LIVE_ENABLED: 'true', KAFKA_BROKERS, TOPIC_PREFIX: prefix, INSTANCE_ID: `test-${run}` },
    });
    app = shop.app;
    url = await listenOnRandomPort(app);
    // /ready turns 200 once the hub's consumer has joined its group (it creates the topics first).
    await waitUntil(async () => (await app.inject('/ready')).statusCode === 200, 60_000, 'bff-web ready');
    publisher = await createPublisher(kafka);
    socket = await openSocket(url);
    await watch(socket, ['LIVE-0001']);
  }, 90_000);

  afterAll(async () => {
    socket?.disconnect();
    await publisher?.close();
    await shop?.close();
  });

  it('pushes an inventory.stock.changed event to the socket watching the sku', async () => {
    // A new group starts at the topic's end once it has its partitions; until then a message can
    // slip past it, so publish newer versions until one arrives.
    let received: StockUpdate | undefined;
    for (let version = 1; !received && version <= 20; version++) {
      const arrival = next(socket, 'stock:changed', 1_500).catch(() => undefined);
      await publish(topics.inventory, stockChanged('LIVE-0001', 2, version));
      received = await arrival;
    }
    expect(received).toMatchObject({ sku: 'LIVE-0001', available: 2, status: 'low' });
  }, 60_000);

  it('keeps consuming after a message it cannot use, and pushes price changes', async () => {
    const bad = stockChanged('LIVE-0001', 1, 100);
    await publish(topics.inventory, { ...bad, data: { ...bad.data, available: -5 } }); // dead-lettered after retries
    await publisher.publish(topics.catalog, [{ key: 'LIVE-0001', value: 'not json' }]); // dead-lettered at once

    const price = next(socket, 'price:changed', 15_000);
    await publish(topics.catalog, priceChanged('LIVE-0001', 2599, 3));
    expect(await price).toEqual({ sku: 'LIVE-0001', price: { amount: 2599, currency: 'EUR', formatted: '€25.99' }, version: 3 });

    const stock = next(socket, 'stock:changed', 15_000);
    await publish(topics.inventory, stockChanged('LIVE-0001', 40, 101));
    expect(await stock).toEqual({ sku: 'LIVE-0001', available: 40, status: 'in_stock', version: 101 });
  }, 60_000);

  it('shows its sockets, rooms, dead letters and consumer lag at /metrics', async () => {
    const second = await openSocket(url);
    try {
      await watch(second, ['LIVE-0001', 'LIVE-0002']);
      const scrape = parseMetrics((await app.inject('/metrics')).body);
      expect(sampleValue(scrape, 'live_sockets', { namespace: '/' })).toBe(2);
      // The two product rooms at least (guest sockets without a session join no private room).
      expect(sampleValue(scrape, 'live_rooms', { namespace: '/' })).toBeGreaterThanOrEqual(2);
      // The test before dead-lettered a bad stock change and a message that is not JSON.
      expect(sampleValue(scrape, 'messages_dead_lettered_total', { topic: topics.catalog })).toBe(1);
      expect(sampleValue(scrape, 'messages_dead_lettered_total', { topic: topics.inventory })).toBe(1);
      const lag = scrape.samples.filter((s) => s.name === 'kafka_consumergroup_lag' && s.labels.topic === topics.inventory);
      expect(lag.length).toBeGreaterThan(0);
    } finally {
      second.disconnect();
    }
    await waitUntil(async () => sampleValue(parseMetrics((await app.inject('/metrics')).body), 'live_sockets', { namespace: '/' }) === 1, 5_000, 'socket gone');
  }, 30_000);

  it("pushes cart.updated and order.status.changed from their topics to the session's rooms", async () => {
    const browser = shop.browser();
    await browser.register('ada@example.com');
    const ada = shop.identity.userByEmail('ada@example.com')!;
    const own = await openSocket(url, browser.sid);
    try {
      const cart = next(own, 'cart:changed', 15_000);
      await publish(topics.cart, cartUpdated(`user-${ada.id}`, 3, 4));
      expect(await cart).toEqual({ cartId: `user-${ada.id}`, itemCount: 3, version: 4 });

      const status = next(own, 'order:status', 15_000);
      const orderId = randomUUID();
      await publish(topics.orders, orderStatusChanged(orderId, ada.id, 'confirmed', 5));
      expect(await status).toEqual({ orderId, status: 'confirmed', version: 5 });
    } finally {
      own.disconnect();
    }
  }, 60_000);
});
