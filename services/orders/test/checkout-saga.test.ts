import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '@shop/contracts/api/orders';
import type { CloudEvent } from '@shop/contracts/envelope';
import { buildApp as buildInventory, migrationsDir as inventoryMigrations } from '@shop/inventory/app';
import { readConfig as inventoryConfig } from '@shop/inventory/config';
import { addSku } from '@shop/inventory/repository';
import { buildApp as buildPayments, migrationsDir as paymentsMigrations } from '@shop/payments/app';
import { readConfig as paymentsConfig } from '@shop/payments/config';
import { brokerList } from '@shop/platform/config';
import { withTransaction, type Pool } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { buildApp as buildOrders, migrationsDir as ordersMigrations } from '../src/app.ts';
import { readConfig as ordersConfig } from '../src/config.ts';
import { Reasons } from '../src/saga.ts';

// The checkout saga end to end: inventory, orders and payments as they run in production (outbox
// relays, Kafka consumers, the sweeper), in this process, on topics, databases and groups of this run.
const run = randomUUID().slice(0, 8);
const prefix = `t${run}.`;
const topics = topicNames(prefix);
const kafka = { brokers: brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: `saga-test-${run}`, logger: createLogger('test', 'silent') };
// Long enough for inventory to answer forty concurrent orders on a busy two-core machine (it took over 6 s at
// a load of 15), short enough for the tests that wait it out.
const STEP_TIMEOUT_MS = 12_000;
const SETTLE_MS = 30_000;

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
let dbs: { inventory: Db; orders: Db; payments: Db };
let inventory: Awaited<ReturnType<typeof buildInventory>> | undefined;
let orders: Awaited<ReturnType<typeof buildOrders>>;
let payments: Awaited<ReturnType<typeof buildPayments>>;
let publisher: Publisher;
const cards = { good: '', declined: '', timeout: '' };

const shared = { LOG_LEVEL: 'silent', KAFKA_BROKERS: kafka.brokers.join(','), TOPIC_PREFIX: prefix, OUTBOX_POLL_MS: '500' };
const startInventory = () =>
  buildInventory(inventoryConfig({
    ...shared, DATABASE_URL: dbs.inventory.url, OUTBOX_RELAY_ID: `inventory-${run}`, RESERVATIONS_GROUP_ID: `inventory-reservations-${run}`,
  }));

const startPayments = () =>
  buildPayments(paymentsConfig({
    ...shared, DATABASE_URL: dbs.payments.url, OUTBOX_RELAY_ID: `payments-${run}`, CHARGES_GROUP_ID: `payments-charges-${run}`,
    PROVIDER_TIMEOUT_MS: '300',
  }));

/** The catalog sells every product of this run as a Saga Lamp at 25.00. */
const sagaCatalog = {
  getPrices: async (skus: readonly string[]) => skus.map((sku) => ({ sku, name: 'Saga Lamp', price: { amount: 2500, currency: 'EUR' as const }, version: 1 })),
};

beforeAll(async () => {
  await ensureTopics(kafka, [topics.orders, topics.inventory, topics.payments]);
  const [inv, ord, pay] = await Promise.all([
    createTestDatabase('saga_inventory', inventoryMigrations),
    createTestDatabase('saga_orders', ordersMigrations),
    createTestDatabase('saga_payments', paymentsMigrations),
  ]);
  dbs = { inventory: inv, orders: ord, payments: pay };
  [inventory, orders, payments] = await Promise.all([
    startInventory(),
    buildOrders(ordersConfig({
      ...shared, DATABASE_URL: dbs.orders.url, OUTBOX_RELAY_ID: `orders-${run}`, SAGA_GROUP_ID: `orders-saga-${run}`,
      STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS), SWEEP_INTERVAL_MS: '250',
    }), { catalog: sagaCatalog }),
    startPayments(),
  ]);
  await Promise.all([inventory.ready(), orders.ready(), payments.ready()]);
  publisher = await createPublisher(kafka);
  for (const [name, cardNumber] of [['good', '4242 4242 4242 4242'], ['declined', '4000 0000 0000 0002'], ['timeout', '4000 0000 0000 0119']] as const) {
    const res = await payments.inject({ method: 'POST', url: '/payment-methods', payload: { cardNumber, expiry: '12/40', cvc: '123' } });
    expect(res.statusCode).toBe(201);
    cards[name] = res.json().paymentMethodId;
  }
}, 120_000);

afterAll(async () => {
  await publisher?.close();
  await Promise.all([inventory?.close(), orders?.close(), payments?.close()]);
  await Promise.all(Object.values(dbs ?? {}).map((db) => db.drop()));
});

let skuCount = 0;
/** A product of this run with opening stock, added without an event: the saga's events are what is under test. */
async function product(available: number): Promise<string> {
  const sku = `S${run.toUpperCase()}-${++skuCount}`;
  await withTransaction(inventory!.db, (c) => addSku(c, sku, available));
  return sku;
}

const stock = async (sku: string) => {
  const res = await inventory!.inject({ method: 'GET', url: `/stock/${sku}` });
  const { available, reserved } = res.json();
  return { available, reserved };
};

async function place(customerId: string, sku: string, quantity: number, paymentMethodId: string): Promise<Order> {
  const res = await orders.inject({
    method: 'POST',
    url: '/orders',
    payload: {
      customerId,
      lines: [{ sku, name: 'Saga Lamp', quantity, unitPrice: { amount: 2500, currency: 'EUR' } }],
      shippingAddress: { name: 'Grace Hopper', line1: '1 Navy Way', city: 'Arlington', postalCode: '22202', country: 'US' },
      paymentMethodId,
      idempotencyKey: `checkout-${randomUUID()}`,
    },
  });
  expect(res.statusCode).toBe(202);
  return res.json();
}

const getOrder = async (order: Order): Promise<Order> =>
  (await orders.inject({ method: 'GET', url: `/orders/${order.id}?customerId=${order.customerId}` })).json();

const FINAL = ['confirmed', 'rejected', 'cancelled'];
const settled = async (order: Order): Promise<Order> => {
  await expect.poll(async () => (await getOrder(order)).status, { timeout: SETTLE_MS, interval: 100 }).toBeOneOf(FINAL);
  return getOrder(order);
};

const count = async (pool: Pool, sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;

describe('the checkout saga', () => {
  it('never oversells: 40 concurrent orders for 5 in stock → 5 confirmed, 35 rejected, stock 0 and never negative', async () => {
    const sku = await product(5);
    const samples: { available: number; reserved: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await inventory!.db.query('SELECT available, reserved FROM stock WHERE sku = $1', [sku]);
        samples.push(rows[0]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const placed = await Promise.all(Array.from({ length: 40 }, (_, i) => place(`shopper-${run}-${i}`, sku, 1, cards.good)));
    const final = await Promise.all(placed.map(settled));
    sampling = false;
    await sampler;

    const byStatus = (status: string) => final.filter((o) => o.status === status);
    expect(byStatus('confirmed')).toHaveLength(5);
    expect(byStatus('rejected')).toHaveLength(35);
    for (const o of byStatus('rejected')) expect(o.reason).toBe('Not enough stock: Saga Lamp (none left)');
    for (const o of byStatus('confirmed')) expect(o.history.map((h) => h.status)).toEqual(['placed', 'reserved', 'paid', 'confirmed']);
    await expect.poll(() => stock(sku), { timeout: SETTLE_MS }).toEqual({ available: 0, reserved: 0 });

    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.available).toBeGreaterThanOrEqual(0);
      expect(s.available + s.reserved).toBeLessThanOrEqual(5);
    }
    // One charge per confirmed order, none for the rejected ones.
    expect(await count(payments.db, 'SELECT count(*)::int AS n FROM payments WHERE order_id = ANY($1)', [placed.map((o) => o.id)])).toBe(5);
  });

  it.each([
    ['declined', () => cards.declined, Reasons.declined],
    ['timed out at the provider', () => cards.timeout, Reasons.providerTimeout],
  ])('cancels an order whose payment is %s, with the reason, and releases its stock', async (_name, card, reason) => {
    const sku = await product(3);
    const order = await settled(await place(`shopper-${run}-${randomUUID()}`, sku, 2, card()));
    expect(order).toMatchObject({ status: 'cancelled', reason });
    expect(order.history.map((h) => h.status)).toEqual(['placed', 'reserved', 'cancelled']);
    await expect.poll(() => stock(sku), { timeout: SETTLE_MS }).toEqual({ available: 3, reserved: 0 });
  });

  it('gives redelivered saga events (same ids) no second reservation, charge or status change', async () => {
    const sku = await product(2);
    const order = await settled(await place(`shopper-${run}-redelivery`, sku, 1, cards.good));
    expect(order).toMatchObject({ status: 'confirmed', version: 4 });
    await expect.poll(() => stock(sku), { timeout: SETTLE_MS }).toEqual({ available: 1, reserved: 0 });

    const sent = async (pool: Pool, type: string) =>
      (await pool.query<{ event: CloudEvent }>(`SELECT event FROM outbox WHERE message_key = $1 AND event->>'type' = $2 ORDER BY id`, [order.id, type]))
        .rows.map((r) => r.event);
    const [placedEvent] = await sent(orders.db, 'order.placed');
    const [paymentRequested] = await sent(orders.db, 'order.payment.requested');
    const [stockReserved] = await sent(inventory!.db, 'inventory.stock.reserved');
    const [paymentAuthorized] = await sent(payments.db, 'payment.authorized');

    // After each duplicate, on the same topic and key (so the same partition, behind it), an event of a
    // kind that consumer records as processed: once it is recorded, the duplicate has been handled.
    const marker = (type: string, data: object) => createEvent('test', { type, subject: order.id, data: { orderId: order.id, ...data } });
    const markers = {
      inventory: marker('order.cancelled', { customerId: order.customerId, reason: 'test', lines: [{ sku, quantity: 1 }] }),
      payments: marker('order.payment.requested', { amount: order.total, paymentMethodId: cards.good }),
      ordersFromInventory: marker('inventory.stock.committed', { lines: [{ sku, quantity: 1 }] }),
      ordersFromPayments: marker('payment.declined', { paymentId: randomUUID(), reason: 'declined' }),
    };
    const message = (e: CloudEvent | undefined) => ({ key: order.id, value: JSON.stringify(e) });
    await publisher.publish(topics.orders, [message(placedEvent), message(paymentRequested), message(markers.inventory), message(markers.payments)]);
    await publisher.publish(topics.inventory, [message(stockReserved), message(markers.ordersFromInventory)]);
    await publisher.publish(topics.payments, [message(paymentAuthorized), message(markers.ordersFromPayments)]);

    const processed = (pool: Pool, id: string) => count(pool, 'SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [id]);
    await expect.poll(() => processed(inventory!.db, markers.inventory.id), { timeout: SETTLE_MS }).toBe(1);
    await expect.poll(() => processed(payments.db, markers.payments.id), { timeout: SETTLE_MS }).toBe(1);
    await expect.poll(() => processed(orders.db, markers.ordersFromInventory.id), { timeout: SETTLE_MS }).toBe(1);
    await expect.poll(() => processed(orders.db, markers.ordersFromPayments.id), { timeout: SETTLE_MS }).toBe(1);

    // No second reservation (and a cancel after the sale gives nothing back)…
    expect(await stock(sku)).toEqual({ available: 1, reserved: 0 });
    expect(await sent(inventory!.db, 'inventory.stock.reserved')).toHaveLength(1);
    // …no second charge (a repeated request gets the first payment's answer)…
    expect(await count(payments.db, 'SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [order.id])).toBe(1);
    expect(new Set((await sent(payments.db, 'payment.authorized')).map((e) => (e.data as { paymentId: string }).paymentId)).size).toBe(1);
    // …and no second status change, nor a late decline undoing the confirmed order.
    const after = await getOrder(order);
    expect(after).toMatchObject({ status: 'confirmed', version: 4 });
    expect(after.history).toHaveLength(4);
    expect(await sent(orders.db, 'order.payment.requested')).toHaveLength(1);
    expect(await sent(orders.db, 'order.confirmed')).toHaveLength(1);
  });

  it('moves an order on when inventory does not answer in time, and releases a reservation that comes late', async () => {
    const sku = await product(4);
    await inventory!.close();
    inventory = undefined;

    const order = await place(`shopper-${run}-no-answer`, sku, 2, cards.good);
    const final = await settled(order);
    expect(final).toMatchObject({ status: 'rejected', reason: Reasons.inventoryTimeout, version: 2 });

    // Inventory comes back, reads order.placed and then order.cancelled: it reserves, then releases.
    inventory = await startInventory();
    await expect.poll(async () => (await inventory!.db.query('SELECT status FROM reservations WHERE order_id = $1', [order.id])).rows[0]?.status, {
      timeout: SETTLE_MS,
    }).toBe('released');
    expect(await stock(sku)).toEqual({ available: 4, reserved: 0 });
    expect(await getOrder(order)).toMatchObject({ status: 'rejected', version: 2 });
  });

  it('voids a charge that lands after the order gave up waiting for payments, and shows it on the order timeline', async () => {
    const sku = await product(3);
    await payments.close(); // payments is paused past the payment step's deadline
    const order = await place(`shopper-${run}-slow-payments`, sku, 1, cards.good);
    expect(await settled(order)).toMatchObject({ status: 'cancelled', reason: Reasons.paymentTimeout });
    await expect.poll(() => stock(sku), { timeout: SETTLE_MS }).toEqual({ available: 3, reserved: 0 });

    // Payments comes back: it reads order.payment.requested (and charges), then order.cancelled (and voids).
    payments = await startPayments();
    await expect.poll(async () => (await payments.db.query('SELECT status FROM payments WHERE order_id = $1', [order.id])).rows[0]?.status, {
      timeout: SETTLE_MS,
    }).toBe('voided');
    const voided = await readTopic(kafka, topics.payments, (m) => m.key === order.id && JSON.parse(m.value ?? '{}').type === 'payment.voided', SETTLE_MS);
    expect(JSON.parse(voided.at(-1)!.value!)).toMatchObject({ type: 'payment.voided', subject: order.id, data: { orderId: order.id, amount: order.total } });

    await expect.poll(async () => (await getOrder(order)).history.at(-1), { timeout: SETTLE_MS }).toMatchObject({
      status: 'cancelled', step: 'payment.voided', reason: Reasons.paymentVoided,
    });
    expect(await getOrder(order)).toMatchObject({ status: 'cancelled', reason: Reasons.paymentTimeout });

    // The invariant: no money taken for an order that is not confirmed (payments' rows against orders' statuses).
    const unconfirmed = (await orders.db.query<{ id: string }>(`SELECT id::text FROM orders WHERE status <> 'confirmed'`)).rows.map((r) => r.id);
    expect(await count(payments.db, `SELECT count(*)::int AS n FROM payments WHERE status = 'authorized' AND order_id = ANY($1)`, [unconfirmed])).toBe(0);
  });
});
