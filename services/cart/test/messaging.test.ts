import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cart } from '@shop/contracts/api/cart';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { topicNames } from '@shop/platform/topics';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { dropKeys, eur, REDIS_URL, uniquePrefix, userCart } from './support.ts';

// The whole service on real Redis and Kafka: topics, consumer group, relay and keys of its own per run.
const run = randomUUID().slice(0, 8);
const prefix = uniquePrefix('cart-messaging');
const topics = topicNames(`cart-test-${run}.`);
const kafka = { brokers: brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: `cart-test-${run}`, logger: createLogger('test', 'silent') };
const sku = `T${run.toUpperCase()}-1`;

let app: Awaited<ReturnType<typeof buildApp>>;
let publisher: Publisher;

beforeAll(async () => {
  await ensureTopics(kafka, [topics.catalog, topics.inventory, topics.orders, topics.cart]);
  publisher = await createPublisher(kafka);
  app = await buildApp(
    readConfig({
      REDIS_URL,
      KEY_PREFIX: prefix,
      KAFKA_BROKERS: kafka.brokers.join(','),
      TOPIC_PREFIX: `cart-test-${run}.`,
      CONSUMER_GROUP_ID: `cart-test-${run}`,
      OUTBOX_RELAY_ID: `cart-test-${run}-outbox`,
      OUTBOX_POLL_MS: '500',
      LOG_LEVEL: 'silent',
    }),
  );
});
afterAll(async () => {
  await app?.close();
  await publisher?.close();
  await dropKeys(prefix);
});

const send = (topic: string, event: CloudEvent) => publisher.publish(topic, [{ key: event.subject, value: JSON.stringify(event) }]);
const productUpserted = (name: string, amount: number, version: number) =>
  createEvent('catalog', {
    type: 'catalog.product.upserted', subject: sku,
    data: { sku, name, description: 'A test product.', category: 'test', price: eur(amount), version },
  });
const priceChanged = (amount: number, previous: number, version: number) =>
  createEvent('catalog', { type: 'catalog.price.changed', subject: sku, data: { sku, price: eur(amount), previousPrice: eur(previous), version } });
const stockChanged = (available: number, version: number) =>
  createEvent('inventory', { type: 'inventory.stock.changed', subject: sku, data: { sku, available, reserved: 0, version } });
const setLine = (cartId: string, quantity: number) =>
  app.inject({ method: 'PUT', url: `/carts/${cartId}/lines/${sku}`, payload: { quantity } });
const getCart = async (cartId: string) => (await app.inject({ method: 'GET', url: `/carts/${cartId}` })).json() as Cart;

describe('the product projection, fed over Kafka', () => {
  it('makes a product addable once catalog and inventory have announced it', async () => {
    const cartId = userCart();
    expect((await setLine(cartId, 1)).statusCode).toBe(404);

    await send(topics.catalog, productUpserted('Test Lantern', 1500, 1));
    await send(topics.inventory, stockChanged(4, 1));

    await expect.poll(async () => (await setLine(cartId, 2)).statusCode, { timeout: 30_000, interval: 250 }).toBe(200);
    expect(await getCart(cartId)).toMatchObject({
      lines: [{ sku, name: 'Test Lantern', quantity: 2, unitPrice: eur(1500), lineTotal: eur(3000) }],
      total: eur(3000),
    });
  });

  it('shows a price change in the cart, and ignores redelivered and stale events', async () => {
    const cut = priceChanged(1200, 1500, 2);
    await send(topics.catalog, cut);
    await send(topics.inventory, stockChanged(6, 3));
    await expect.poll(async () => (await app.productProjection.find([sku])).get(sku), { timeout: 30_000 }).toMatchObject({
      price: eur(1200), available: 6,
    });

    // Kafka redelivers the price cut, and late events older than what is held arrive.
    await send(topics.catalog, cut);
    await send(topics.catalog, productUpserted('Old Lantern', 999, 1));
    await send(topics.inventory, stockChanged(50, 2));
    // A newer event behind them on the same partitions: once it shows, the ones before it were handled.
    await send(topics.catalog, priceChanged(1300, 1200, 3));
    await send(topics.inventory, stockChanged(5, 4));
    await expect.poll(async () => (await app.productProjection.find([sku])).get(sku), { timeout: 30_000 }).toEqual({
      name: 'Test Lantern', price: eur(1300), available: 5,
    });

    const cartId = userCart();
    expect((await setLine(cartId, 6)).json()).toMatchObject({ statusCode: 409, code: 'CART_INSUFFICIENT_STOCK' });
    expect((await setLine(cartId, 1)).json()).toMatchObject({ lines: [{ name: 'Test Lantern', unitPrice: eur(1300) }] });
  });
});

describe('events out and in', () => {
  it('publishes cart.updated for a change on the prefixed cart topic, and empties the stream it relayed', async () => {
    const cartId = userCart();
    await setLine(cartId, 3);
    await setLine(cartId, 2);
    const received = await readTopic(kafka, topics.cart, (m) => m.key === cartId && JSON.parse(m.value!).data.version === 2);
    const events = received.filter((m) => m.key === cartId).map((m) => JSON.parse(m.value!) as CloudEvent);
    expect(events.map((e) => e.data)).toEqual([
      { cartId, itemCount: 3, version: 1 },
      { cartId, itemCount: 2, version: 2 },
    ]);
    expect(events[0]).toMatchObject({ type: 'cart.updated', source: 'cart', subject: cartId, specversion: '1.0' });
    await app.cartOutboxRelay.drain();
    expect(await app.cartStore.redis.xlen(app.cartStore.keys.outbox)).toBe(0);
  });

  it("empties the customer's cart when their order is confirmed, once", async () => {
    const customerId = randomUUID();
    const cartId = userCart(customerId);
    await setLine(cartId, 2);
    const confirmed = createEvent('orders', {
      type: 'order.confirmed', subject: `order-${run}`,
      data: { orderId: `order-${run}`, customerId, lines: [{ sku, quantity: 2 }] },
    });
    await send(topics.orders, confirmed);
    await expect.poll(async () => (await getCart(cartId)).itemCount, { timeout: 30_000, interval: 250 }).toBe(0);
    expect((await getCart(cartId)).version).toBe(2);

    // The shopper fills the cart again; the same confirmation delivered again leaves it alone.
    await setLine(cartId, 1);
    await send(topics.orders, confirmed);
    // Another event behind it on the same partition (same key): once its marker is set, the redelivery was handled.
    const marker = createEvent('orders', {
      type: 'order.confirmed', subject: `order-${run}`, data: { orderId: `order-${run}`, customerId: randomUUID(), lines: [] },
    });
    await send(topics.orders, marker);
    await expect
      .poll(() => app.cartStore.redis.exists(app.cartStore.keys.processed('order-confirmed', marker.id)), { timeout: 30_000 })
      .toBe(1);
    expect(await getCart(cartId)).toMatchObject({ itemCount: 1, version: 3 });

    const emptied = await readTopic(kafka, topics.cart, (m) => m.key === cartId && JSON.parse(m.value!).data.version === 3);
    expect(emptied.filter((m) => m.key === cartId).map((m) => JSON.parse(m.value!).data.itemCount)).toEqual([2, 0, 1]);
  });
});
