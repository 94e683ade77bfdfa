import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlaceOrderBody } from '@shop/contracts/api/orders';
import type { CloudEvent } from '@shop/contracts/envelope';
import { createPool, type Pool } from '@shop/platform/db';
import { dispatchOnce } from '@shop/platform/event-handlers';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { migrationsDir, SAGA, sagaHandlers } from '../src/app.ts';
import { findOrder } from '../src/repository.ts';
import { placeOrder, Reasons, shortageReason, type SagaContext } from '../src/saga.ts';
import { sweepOverdue } from '../src/sweeper.ts';

// The saga's steps and deadlines against a real database, driven by answers handed straight to the
// consumer's handler: every path, without waiting on Kafka or on the clock.
const topic = topicNames(`t${randomUUID().slice(0, 8)}.`).orders;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
const ctx: SagaContext = { topic, stepTimeoutMs: 60_000, log: createLogger('test', 'silent') };

beforeAll(async () => {
  db = await createTestDatabase('orders_saga_steps', migrationsDir);
  pool = createPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE orders, order_history, outbox, processed_events');
});

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
const place = async () => {
  const body: PlaceOrderBody = {
    customerId: 'user-1',
    lines: [
      { sku: 'KIT-0001', name: 'Chef Knife', quantity: 3, unitPrice: eur(4999) },
      { sku: 'KIT-0002', name: 'Cutting Board', quantity: 1, unitPrice: eur(1250) },
    ],
    shippingAddress: { name: 'Ada', line1: '1 Road', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
    paymentMethodId: randomUUID(),
    idempotencyKey: `key-${randomUUID()}`,
  };
  // The catalog's prices are the ones the body shows.
  const prices = async () => body.lines.map(({ sku, name, unitPrice }) => ({ sku, name, price: unitPrice, version: 1 }));
  return (await placeOrder(pool, ctx, body, prices)).order;
};
const answer = (source: string, type: string, orderId: string, data: object = {}): CloudEvent =>
  createEvent(source, { type, subject: orderId, data: { orderId, ...data } });
const reserved = (id: string) => answer('inventory', 'inventory.stock.reserved', id, { lines: [{ sku: 'KIT-0001', quantity: 3 }] });
const authorized = (id: string) => answer('payments', 'payment.authorized', id, { paymentId: randomUUID(), amount: eur(16247) });
const declined = (id: string, reason: 'declined' | 'timeout') => answer('payments', 'payment.declined', id, { paymentId: randomUUID(), reason });
const committed = (id: string) => answer('inventory', 'inventory.stock.committed', id, { lines: [{ sku: 'KIT-0001', quantity: 3 }] });
const rejected = (id: string) =>
  answer('inventory', 'inventory.reservation.rejected', id, { shortages: [{ sku: 'KIT-0001', requested: 3, available: 2 }, { sku: 'KIT-0002', requested: 1, available: 0 }] });

// What the saga consumer does with each message it takes off the inventory and payments topics.
const handle = (event: CloudEvent) => dispatchOnce(pool, SAGA, sagaHandlers(ctx), event);
const order = async (id: string) => (await findOrder(pool, id))!;
/** What the saga asked of the others for this order, after order.placed. */
const requests = async (id: string) =>
  (await pool.query<{ topic: string; event: CloudEvent<Record<string, unknown>> }>('SELECT topic, event FROM outbox WHERE message_key = $1 ORDER BY id', [id]))
    .rows.map((r) => r.event).filter((e) => e.type !== 'order.status.changed' && e.type !== 'order.placed');
const statusEvents = async (id: string) =>
  (await pool.query<{ event: CloudEvent<{ status: string; version: number; reason?: string }> }>(
    `SELECT event FROM outbox WHERE message_key = $1 AND event->>'type' = 'order.status.changed' ORDER BY id`, [id],
  )).rows.map((r) => r.event.data);
const overdue = (id: string) => pool.query(`UPDATE orders SET deadline_at = now() - interval '1 second' WHERE id = $1`, [id]);

describe('the happy path', () => {
  it('goes placed → reserved → paid → confirmed, asking for payment and then the commit, with a version and history per step', async () => {
    const { id } = await place();
    await handle(reserved(id));
    expect((await requests(id)).map((e) => [e.type, e.data])).toEqual([
      ['order.payment.requested', { orderId: id, amount: eur(16247), paymentMethodId: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
    ]);
    await handle(authorized(id));
    await handle(committed(id));

    const done = await order(id);
    expect(done).toMatchObject({ status: 'confirmed', version: 4 });
    expect(done.history.map((h) => h.status)).toEqual(['placed', 'reserved', 'paid', 'confirmed']);
    expect((await requests(id)).map((e) => e.type)).toEqual(['order.payment.requested', 'order.confirmed']);
    expect((await requests(id))[1]!.data).toEqual({ orderId: id, customerId: 'user-1', lines: [{ sku: 'KIT-0001', quantity: 3 }, { sku: 'KIT-0002', quantity: 1 }] });
    expect(await statusEvents(id)).toEqual([
      { orderId: id, customerId: 'user-1', status: 'placed', version: 1 },
      { orderId: id, customerId: 'user-1', status: 'reserved', version: 2 },
      { orderId: id, customerId: 'user-1', status: 'paid', version: 3 },
      { orderId: id, customerId: 'user-1', status: 'confirmed', version: 4 },
    ]);
    expect((await pool.query('SELECT deadline_at FROM orders WHERE id = $1', [id])).rows[0].deadline_at).toBeNull();
  });
});

describe('failure paths', () => {
  it('rejects an order inventory cannot fill, naming the products as the order had them', async () => {
    const { id } = await place();
    await handle(rejected(id));
    expect(await order(id)).toMatchObject({
      status: 'rejected', version: 2, reason: 'Not enough stock: Chef Knife (2 left), Cutting Board (none left)',
    });
    expect(await requests(id)).toEqual([]); // nothing was held, so there is nothing to release
    expect(shortageReason([], [{ sku: 'X-1', requested: 1, available: 0 }])).toBe('Not enough stock: X-1 (none left)');
  });

  it.each([
    ['declined', Reasons.declined],
    ['timeout', Reasons.providerTimeout],
  ] as const)('cancels on a payment declined for %s and asks inventory to release', async (why, reason) => {
    const { id } = await place();
    await handle(reserved(id));
    await handle(declined(id, why));
    expect(await order(id)).toMatchObject({ status: 'cancelled', reason, version: 3 });
    expect((await order(id)).history.at(-1)).toMatchObject({ status: 'cancelled', reason });
    const cancel = (await requests(id)).at(-1)!;
    expect(cancel).toMatchObject({ type: 'order.cancelled', data: { orderId: id, reason, lines: [{ sku: 'KIT-0001', quantity: 3 }, { sku: 'KIT-0002', quantity: 1 }] } });
    expect((await statusEvents(id)).at(-1)).toEqual({ orderId: id, customerId: 'user-1', status: 'cancelled', reason, version: 3 });
  });
});

describe('redelivered, repeated and late answers', () => {
  it('gives a redelivered answer (same id) and a repeated one (new id) no second status change or request', async () => {
    const { id } = await place();
    const first = reserved(id);
    await handle(first);
    await handle(first);
    await handle(reserved(id));
    const pay = authorized(id);
    await handle(pay);
    await handle(pay);
    await handle(authorized(id));
    expect(await order(id)).toMatchObject({ status: 'paid', version: 3 });
    expect((await requests(id)).map((e) => e.type)).toEqual(['order.payment.requested', 'order.confirmed']);
    expect(await statusEvents(id)).toHaveLength(3);
  });

  it('ignores answers that come out of turn or after the order is final', async () => {
    const { id } = await place();
    await handle(authorized(id)); // before any reservation
    await handle(committed(id));
    expect(await order(id)).toMatchObject({ status: 'placed', version: 1 });

    await handle(rejected(id));
    await handle(reserved(id)); // a late reservation for a rejected order: no payment is asked for
    await handle(declined(id, 'declined'));
    expect(await order(id)).toMatchObject({ status: 'rejected', version: 2 });
    expect(await requests(id)).toEqual([]);
  });

  it('ignores event types that are not answers, and answers about orders it cannot have', async () => {
    const { id } = await place();
    await handle(createEvent('inventory', { type: 'inventory.stock.changed', subject: 'KIT-0001', data: { sku: 'KIT-0001', available: 1, reserved: 0, version: 2 } }));
    await handle(answer('inventory', 'inventory.stock.released', id, { lines: [] }));
    await handle(answer('inventory', 'inventory.stock.reserved', 'not-an-order-id', { lines: [] }));
    expect(await order(id)).toMatchObject({ status: 'placed', version: 1 });
    expect((await pool.query('SELECT count(*)::int AS n FROM processed_events')).rows[0].n).toBe(0);
  });

  it('refuses an answer whose data breaks its schema, so it can be dead-lettered, and changes nothing', async () => {
    const { id } = await place();
    await expect(handle(answer('payments', 'payment.declined', id, { paymentId: 'p', reason: 'stolen' }))).rejects.toThrow(/event data is invalid/);
    expect(await order(id)).toMatchObject({ status: 'placed', version: 1 });
  });
});

describe('compensations', () => {
  it('records a voided payment on a cancelled order\'s timeline once, leaving its status and reason', async () => {
    const { id } = await place();
    await handle(reserved(id));
    await handle(declined(id, 'timeout'));
    const voided = () => answer('payments', 'payment.voided', id, { paymentId: randomUUID(), amount: eur(16247) });
    await handle(voided());
    await handle(voided()); // payments says it again: one step on the timeline
    const after = await order(id);
    expect(after).toMatchObject({ status: 'cancelled', reason: Reasons.providerTimeout, version: 4 });
    expect(after.history.map((h) => [h.status, h.step ?? null])).toEqual([
      ['placed', null], ['reserved', null], ['cancelled', null], ['cancelled', 'payment.voided'],
    ]);
    expect(after.history.at(-1)?.reason).toBe(Reasons.paymentVoided);
    expect((await statusEvents(id)).at(-1)).toMatchObject({ status: 'cancelled', version: 4 });
  });
});

describe('deadlines', () => {
  it('rejects an order inventory never answered, and sends order.cancelled so a late reservation is released', async () => {
    const { id } = await place();
    await overdue(id);
    expect(await sweepOverdue(pool, ctx)).toBe(1);
    expect(await order(id)).toMatchObject({ status: 'rejected', reason: Reasons.inventoryTimeout, version: 2 });
    expect((await requests(id)).map((e) => e.type)).toEqual(['order.cancelled']);

    await handle(reserved(id)); // inventory wakes up: the order stays rejected
    expect(await order(id)).toMatchObject({ status: 'rejected', version: 2 });
  });

  it('cancels an order payments never answered, releasing its stock', async () => {
    const { id } = await place();
    await handle(reserved(id));
    await overdue(id);
    await sweepOverdue(pool, ctx);
    expect(await order(id)).toMatchObject({ status: 'cancelled', reason: Reasons.paymentTimeout, version: 3 });
    expect((await requests(id)).map((e) => e.type)).toEqual(['order.payment.requested', 'order.cancelled']);
  });

  it('asks again for the commit of a paid order without changing it, and gives it another step', async () => {
    const { id } = await place();
    await handle(reserved(id));
    await handle(authorized(id));
    await overdue(id);
    await sweepOverdue(pool, ctx);
    expect(await order(id)).toMatchObject({ status: 'paid', version: 3 });
    expect((await requests(id)).map((e) => e.type)).toEqual(['order.payment.requested', 'order.confirmed', 'order.confirmed']);
    expect(await sweepOverdue(pool, ctx)).toBe(0); // not overdue again until another step has passed
    await handle(committed(id));
    expect(await order(id)).toMatchObject({ status: 'confirmed', version: 4 });
  });

  it('leaves orders within their deadline alone', async () => {
    const { id } = await place();
    expect(await sweepOverdue(pool, ctx)).toBe(0);
    expect(await order(id)).toMatchObject({ status: 'placed', version: 1 });
  });

  it('moves each overdue order once when several sweepers run at the same time', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, async () => (await place()).id));
    await pool.query(`UPDATE orders SET deadline_at = now() - interval '1 second'`);
    const counts = await Promise.all([sweepOverdue(pool, ctx), sweepOverdue(pool, ctx), sweepOverdue(pool, ctx)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    for (const id of ids) {
      expect(await order(id)).toMatchObject({ status: 'rejected', version: 2 });
      expect((await requests(id)).map((e) => e.type)).toEqual(['order.cancelled']);
    }
  });
});
