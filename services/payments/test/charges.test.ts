import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { createPool, type Pool } from '@shop/platform/db';
import { dispatchOnce } from '@shop/platform/event-handlers';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher } from '@shop/platform/kafka/publisher';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { buildApp, CHARGES, chargesHandlers, migrationsDir } from '../src/app.ts';
import { checkCard } from '../src/card.ts';
import type { ChargesContext } from '../src/charges.ts';
import { readConfig } from '../src/config.ts';
import { chargeKey, simulatedProvider, voidKey, type AuthorizeRequest, type CardProvider, type VoidRequest } from '../src/provider.ts';
import { insertPaymentMethod } from '../src/repository.ts';

const run = randomUUID().slice(0, 8);
const topics = topicNames(`t${run}.`);
const PROVIDER_TIMEOUT_MS = 200;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let ctx: ChargesContext;
// What the charges consumer does with each message it takes off the orders topic.
const handleOrderEvent = (c: ChargesContext, event: CloudEvent) => dispatchOnce(pool, CHARGES, chargesHandlers(c), event);
const methods: Record<'good' | 'declined' | 'timeout' | 'expired', string> = { good: '', declined: '', timeout: '', expired: '' };

beforeAll(async () => {
  db = await createTestDatabase('payments_charges', migrationsDir);
  pool = createPool(db.url);
  ctx = { topic: topics.payments, provider: simulatedProvider, providerTimeoutMs: PROVIDER_TIMEOUT_MS, log: createLogger('test', 'silent') };
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

/** The simulated provider, recording every call; `crashAfterAuthorize` fails the first authorization after it was made. */
function recordingProvider({ crashAfterAuthorize = false } = {}) {
  const calls = { authorize: [] as AuthorizeRequest[], void: [] as VoidRequest[] };
  let crash = crashAfterAuthorize;
  const provider: CardProvider = {
    async authorize(request, signal) {
      calls.authorize.push(request);
      const answer = await simulatedProvider.authorize(request, signal);
      if (crash) {
        crash = false;
        throw new Error('process died after the provider took the charge');
      }
      return answer;
    },
    async void(request) {
      calls.void.push(request);
    },
  };
  return { calls, provider };
}
const cancelled = (orderId: string): CloudEvent =>
  createEvent('orders', { type: 'order.cancelled', subject: orderId, data: { orderId, customerId: 'c-1', reason: 'The payment did not go through in time.', lines: [] } });
const confirmed = (orderId: string): CloudEvent =>
  createEvent('orders', { type: 'order.confirmed', subject: orderId, data: { orderId, customerId: 'c-1', lines: [] } });
/** Money taken (authorized, not voided) for orders payments knows did not go through: must stay 0. */
const moneyTakenForCancelled = async () =>
  (await pool.query(`SELECT count(*)::int AS n FROM payments p JOIN order_outcomes o USING (order_id) WHERE p.status = 'authorized' AND o.status <> 'confirmed'`)).rows[0].n;

describe('no money stays taken for a cancelled order', () => {
  it('refuses a payment requested for an order already cancelled, without asking the provider', async () => {
    const { calls, provider } = recordingProvider();
    const c = { ...ctx, provider };
    const orderId = randomUUID();
    await handleOrderEvent(c, cancelled(orderId));
    await handleOrderEvent(c, requested(orderId, methods.good));
    expect(calls.authorize).toEqual([]);
    const [payment] = await payments(orderId);
    expect(payment).toMatchObject({ status: 'declined', decline_reason: 'order-cancelled' });
    expect(await answers(orderId)).toEqual([{ topic: topics.payments, type: 'payment.declined', data: { orderId, paymentId: payment.id, reason: 'declined' } }]);
    expect(await moneyTakenForCancelled()).toBe(0);
  });

  it('voids an authorization once the order turns out cancelled, under a key from the order, and says so with payment.voided', async () => {
    const { calls, provider } = recordingProvider();
    const c = { ...ctx, provider };
    const orderId = randomUUID();
    await handleOrderEvent(c, requested(orderId, methods.good)); // payments was slow: the charge lands…
    const cancel = cancelled(orderId);
    await handleOrderEvent(c, cancel); // …then it reads that orders gave up waiting
    await handleOrderEvent(c, cancel); // redelivered: nothing more
    await handleOrderEvent(c, cancelled(orderId)); // repeated: nothing more

    const [payment] = await payments(orderId);
    expect(payment).toMatchObject({ status: 'voided' });
    expect(calls.void).toEqual([{ idempotencyKey: voidKey(orderId), authorizationKey: chargeKey(orderId), paymentId: payment.id, orderId }]);
    expect((await answers(orderId)).map((a) => a.type)).toEqual(['payment.authorized', 'payment.voided']);
    expect((await answers(orderId))[1]).toEqual({ topic: topics.payments, type: 'payment.voided', data: { orderId, paymentId: payment.id, amount } });
    expect(await moneyTakenForCancelled()).toBe(0);

    // A request redelivered after the void is not charged again: for the saga it is a decline.
    await handleOrderEvent(c, requested(orderId, methods.good));
    expect(calls.authorize).toHaveLength(1);
    expect((await answers(orderId)).at(-1)).toMatchObject({ type: 'payment.declined', data: { reason: 'declined' } });
  });

  it('never voids the payment of a confirmed order, whatever comes after', async () => {
    const { calls, provider } = recordingProvider();
    const c = { ...ctx, provider };
    const orderId = randomUUID();
    await handleOrderEvent(c, requested(orderId, methods.good));
    await handleOrderEvent(c, confirmed(orderId));
    await handleOrderEvent(c, cancelled(orderId));
    expect(calls.void).toEqual([]);
    expect(await payments(orderId)).toMatchObject([{ status: 'authorized' }]);
  });

  it('asks the provider again under the same key when a crash lost the first answer, so the card is charged once', async () => {
    const { calls, provider } = recordingProvider({ crashAfterAuthorize: true });
    const c = { ...ctx, provider };
    const orderId = randomUUID();
    const event = requested(orderId, methods.good);
    await expect(handleOrderEvent(c, event)).rejects.toThrow(/process died/);
    expect(await payments(orderId)).toEqual([]); // nothing committed: the consumer will redeliver
    await handleOrderEvent(c, event);

    expect(calls.authorize).toHaveLength(2);
    expect(calls.authorize.map((r) => r.idempotencyKey)).toEqual([chargeKey(orderId), chargeKey(orderId)]);
    expect(chargeKey(orderId)).toContain(orderId);
    expect(await payments(orderId)).toMatchObject([{ status: 'authorized' }]);
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
