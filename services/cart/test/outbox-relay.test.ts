import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createOutboxSink } from '@shop/platform/kafka/outbox-sink';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import type { OutboxRelay } from '@shop/platform/outbox';
import { startRedisOutboxRelay } from '@shop/platform/redis-outbox-store';
import { topicNames } from '@shop/platform/topics';
import { cartRepository } from '../src/cart-repository.ts';
import { cartLimits, readConfig } from '../src/config.ts';
import { productProjection } from '../src/product-projection.ts';
import { openCartStore, type CartStore } from '../src/store/cart-store.ts';
import { dropKeys, eur, REDIS_URL, uniquePrefix, userCart } from './support.ts';

// The relay on real Redis and Kafka, without the HTTP app: what happens around a crash and with two instances.
const run = randomUUID().slice(0, 8);
const prefix = uniquePrefix('cart-relay');
const topic = topicNames(`cart-relay-${run}.`).cart;
const relayId = `cart-relay-${run}`;
const logger = createLogger('test', 'silent');
const kafka = { brokers: brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: relayId, logger };

let store: CartStore;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  await ensureTopics(kafka, [topic]);
  store = openCartStore(REDIS_URL, prefix);
  const products = productProjection(store);
  await products.applyCatalog('KIT-0001', 1, eur(6400), 'Chef Knife');
  await products.applyStock('KIT-0001', 1, 50);
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  store?.redis.disconnect();
  await dropKeys(prefix);
});

const startRelay = async () => {
  const relay = await startRedisOutboxRelay({
    redis: store.redis,
    streamKey: store.keys.outbox,
    leaseKey: store.keys.relayLease,
    openSink: () => createOutboxSink(kafka, { relayId, checkpointTopic: topic }),
    logger,
    pollIntervalMs: 300,
  });
  relays.push(relay);
  return relay;
};

it('does not resend what Kafka committed before a relay died, and with two relays running publishes each event once', async () => {
  const carts = cartRepository({ ...store, products: productProjection(store), topic, limits: cartLimits(readConfig({})) });
  const cartId = userCart();
  for (const quantity of [1, 2, 3]) await carts.setLine(cartId, 'KIT-0001', quantity);

  // A relay published the first two entries and died before deleting them from the stream.
  const entries = await store.redis.xrange(store.keys.outbox, '-', '+', 'COUNT', 2);
  const crashed = await createOutboxSink(kafka, { relayId, checkpointTopic: topic });
  await crashed.publishBatch(
    entries.map(([, f]) => ({ id: Number(f[f.indexOf('seq') + 1]), topic, key: cartId, value: f[f.indexOf('value') + 1]! })),
  );
  await crashed.close();

  // Two instances of the service come up; more changes follow.
  await Promise.all([startRelay(), startRelay()]);
  for (const quantity of [4, 5]) await carts.setLine(cartId, 'KIT-0001', quantity);

  const received = await readTopic(kafka, topic, (m) => JSON.parse(m.value!).data.version === 5);
  await Promise.all(relays.map((r) => r.drain()));
  const versions = received.map((m) => (JSON.parse(m.value!) as CloudEvent<{ version: number }>).data.version);
  expect(versions).toEqual([1, 2, 3, 4, 5]);
  expect(await store.redis.xlen(store.keys.outbox)).toBe(0);

  // One leads, one stands by; both wait on the stream and report nothing pending.
  const reports = await Promise.all(relays.map((r) => r.health()));
  expect(reports.map((r) => r.role).sort()).toEqual(['follower', 'leader']);
  for (const report of reports) expect(report).toMatchObject({ state: 'ok', backlog: 0, oldestPendingMs: 0, listening: true });
});
