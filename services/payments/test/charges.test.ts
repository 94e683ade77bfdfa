import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { createPool, type Pool } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher } from '@shop/platform/kafka/publisher';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { buildApp, migrationsDir } from '../src/app.ts';
import { checkCard } from '../src/card.ts';
import { readConfig } from '../src/config.ts';
import { handleOrderEvent, type ChargesContext } from '../src/events/consumers/orders.ts';
import { simulatedProvider } from '../src/provider.ts';
import { insertPaymentMethod } from '../src/repository.ts';

const run = randomUUID().slice(0, 8);
const topics = topicNames(`t${run}.`);
const PROVIDER_TIMEOUT_MS = 200;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let ctx: ChargesContext;
const methods: Record<'good' | 'declined' | 'timeout' | 'expired', string> = { good: '', declined: '', timeout: '', expired: '' };

beforeAll(async () => {
  db = await createTestDatabase('payments_charges', migrationsDir);
  pool = createPool(db.url);
  ctx = { pool, topic: topics.payments, provider: simulatedProvider, providerTimeoutMs: PROVIDER_TIMEOUT_MS, log: createLogger('test', 'silent') };
  const add = async (cardNumber: string) => (await insertPaymentMethod(pool, randomUUID(), checkCard({ cardNumber, expiry: '12/40', cvc: '123' }))).id;
  methods.good = await add('4242 4242 4242 4242');
  methods.declined = await add('4000 0000 0000 0002');
  methods.timeout = await add('4000 0000 0000 0119');
  // A card that was good when it was saved and has expired since.
  methods.expired = await add('5555 5555 5555 4444');
  await pool.query('UPDATE payment_methods SET exp_year = 2020 WHERE id = $1', [methods.expired]);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const amount = { amount: 4990, currency: 'EUR' as const };
const requested = (orderId: string, paymentMethodId: string): CloudEvent =>
  createEvent('orders', { type: 'order.payment.requested', subject: orderId, data: { orderId, amount, paymentMethodId } });
const answers = async (orderId: string) =>
  (await pool.query<{ topic: string; event: CloudEvent<Record<string, unknown>> }>(
    `SELECT topic, event FROM outbox WHERE message_key = $1 ORDER BY id`, [orderId],
  )).rows.map((r) => ({ topic: r.topic, type: r.event.type, data: r.event.data }));
const payments = async (orderId: string) =>
  (await pool.query('SELECT id, status, decline_reason, amount FROM payments WHERE order_id = $1', [orderId])).rows;

describe('charging for order.payment.requested', () => {
  it('authorises an ordinary card', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, requested(orderId, methods.good));
    const [payment] = await payments(orderId);
    expect(payment).toMatchObject({ status: 'authorized', amount: 4990 });
    expect(await answers(orderId)).toEqual([{ topic: topics.payments, type: 'payment.authorized', data: { orderId, paymentId: payment.id, amount } }]);
  });

  it.each([
    ['the declined test card', 'declined', 'declined'],
    ['the timing-out test card, after the provider timeout', 'timeout', 'timeout'],
    ['an expired card', 'expired', 'declined'],
  ] as const)('declines %s with reason %s', async (_name, method, reason) => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, requested(orderId, methods[method]));
    const [payment] = await payments(orderId);
    expect(payment).toMatchObject({ status: 'declined', decline_reason: reason });
    expect(await answers(orderId)).toEqual([{ topic: topics.payments, type: 'payment.declined', data: { orderId, paymentId: payment.id, reason } }]);
  });

  it('declines an unknown payment method, a well-formed id or not', async () => {
    for (const paymentMethodId of [randomUUID(), 'not-a-uuid']) {
      const orderId = randomUUID();
      await handleOrderEvent(ctx, requested(orderId, paymentMethodId));
      expect((await answers(orderId)).map((a) => [a.type, a.data.reason])).toEqual([['payment.declined', 'declined']]);
    }
  });

  it('charges an order once: a redelivered request does nothing, a repeated one gets the same answer', async () => {
    const orderId = randomUUID();
    const event = requested(orderId, methods.good);
    await handleOrderEvent(ctx, event);
    await handleOrderEvent(ctx, event);
    expect(await answers(orderId)).toHaveLength(1);

    // Two more requests for the same order at once, with new event ids: still one payment.
    await Promise.all([handleOrderEvent(ctx, requested(orderId, methods.good)), handleOrderEvent(ctx, requested(orderId, methods.declined))]);
    const rows = await payments(orderId);
    expect(rows).toHaveLength(1);
    const all = await answers(orderId);
    expect(all).toHaveLength(3);
    expect(new Set(all.map((a) => `${a.type}/${a.data.paymentId}`))).toEqual(new Set([`payment.authorized/${rows[0].id}`]));
  });

  it('ignores other order events and refuses malformed requests without charging', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, createEvent('orders', { type: 'order.placed', subject: orderId, data: {} }));
    await expect(handleOrderEvent(ctx, createEvent('orders', { type: 'order.payment.requested', subject: orderId, data: { orderId } })))
      .rejects.toThrow(/event data is invalid/);
    expect(await payments(orderId)).toEqual([]);
    expect(await answers(orderId)).toEqual([]);
  });
});

describe('over Kafka', () => {
  it('answers each test card on its prefixed topic through the outbox', async () => {
    const kafka = { brokers: brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: `payments-test-${run}`, logger: createLogger('test', 'silent') };
    await ensureTopics(kafka, [topics.orders, topics.payments]);
    const app = await buildApp(readConfig({
      DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAFKA_BROKERS: kafka.brokers.join(','), TOPIC_PREFIX: `t${run}.`,
      OUTBOX_RELAY_ID: `payments-${run}`, CHARGES_GROUP_ID: `payments-charges-${run}`, PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    }));
    const publisher = await createPublisher(kafka);
    try {
      const orders = { good: randomUUID(), declined: randomUUID(), timeout: randomUUID() };
      await publisher.publish(topics.orders, Object.entries(orders).map(([method, orderId]) => ({
        key: orderId, value: JSON.stringify(requested(orderId, methods[method as keyof typeof orders])),
      })));
      const wanted = new Set<string>(Object.values(orders));
      const seen = new Map<string, CloudEvent<{ reason?: string }>>();
      await readTopic(kafka, topics.payments, (m) => {
        const event = JSON.parse(m.value ?? '{}') as CloudEvent<{ reason?: string }>;
        if (wanted.has(event.subject)) seen.set(event.subject, event);
        return seen.size === wanted.size;
      }, 25_000);
      expect(seen.get(orders.good)?.type).toBe('payment.authorized');
      expect(seen.get(orders.declined)).toMatchObject({ type: 'payment.declined', data: { reason: 'declined' } });
      expect(seen.get(orders.timeout)).toMatchObject({ type: 'payment.declined', data: { reason: 'timeout' } });
    } finally {
      await publisher.close();
      await app.close();
    }
  });
});
