import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { createPool, withTransaction, type Pool } from '@shop/platform/db';
import { dispatchOnce, type HandlerContext } from '@shop/platform/event-handlers';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { migrationsDir, RESERVATIONS, reservationHandlers } from '../src/app.ts';
import { findStock, addSku } from '../src/repository.ts';
import { findReservation } from '../src/reservations-repository.ts';

// The reservations consumer's handler against a real database; Kafka is not needed to prove the stock rules.
const topic = topicNames(`t${randomUUID().slice(0, 8)}.`).inventory;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let ctx: HandlerContext;
// What the reservations consumer does with each message it takes off the orders topic.
const handleOrderEvent = (c: HandlerContext, event: CloudEvent) => dispatchOnce(pool, RESERVATIONS, reservationHandlers(c), event);

beforeAll(async () => {
  db = await createTestDatabase('inventory_reservations', migrationsDir);
  pool = createPool(db.url, 12);
  ctx = { topic, log: createLogger('test', 'silent') };
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE stock, reservations, outbox, processed_events');
  await withTransaction(pool, async (c) => {
    await addSku(c, 'KIT-0001', 5);
    await addSku(c, 'KIT-0002', 1);
  });
});

type Line = { sku: string; quantity: number };
const orderEvent = (type: string, orderId: string, data: object): CloudEvent =>
  createEvent('orders', { type, subject: orderId, data: { orderId, customerId: 'c-1', ...data } });
const placed = (orderId: string, lines: Line[]) =>
  orderEvent('order.placed', orderId, { lines, total: { amount: 1000, currency: 'EUR' } });
const cancelled = (orderId: string, lines: Line[]) => orderEvent('order.cancelled', orderId, { lines, reason: 'Your card was declined.' });
const confirmed = (orderId: string, lines: Line[]) => orderEvent('order.confirmed', orderId, { lines });

const stock = async (sku: string) => {
  const level = await findStock(pool, sku);
  return { available: level!.available, reserved: level!.reserved };
};
const answers = async (orderId?: string) =>
  (await pool.query<{ topic: string; event: CloudEvent<Record<string, unknown>> }>('SELECT topic, event FROM outbox ORDER BY id')).rows
    .filter((r) => r.event.type !== 'inventory.stock.changed' && (!orderId || r.event.subject === orderId))
    .map((r) => ({ topic: r.topic, type: r.event.type, data: r.event.data }));
const stockChanges = async () =>
  (await pool.query<{ event: CloudEvent<{ sku: string; available: number; reserved: number }> }>(
    `SELECT event FROM outbox WHERE event->>'type' = 'inventory.stock.changed' ORDER BY id`,
  )).rows.map((r) => r.event.data);

describe('reserving on order.placed', () => {
  it('holds all lines or none: one short line rejects the order and leaves every SKU as it was', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, placed(orderId, [{ sku: 'KIT-0001', quantity: 2 }, { sku: 'KIT-0002', quantity: 2 }, { sku: 'NOPE-0001', quantity: 1 }]));

    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect(await stock('KIT-0002')).toEqual({ available: 1, reserved: 0 });
    expect(await answers()).toEqual([{
      topic,
      type: 'inventory.reservation.rejected',
      data: { orderId, shortages: [{ sku: 'KIT-0002', requested: 2, available: 1 }, { sku: 'NOPE-0001', requested: 1, available: 0 }] },
    }]);
    expect(await stockChanges()).toEqual([]);
    expect((await findReservation(pool, orderId))?.status).toBe('rejected');
  });

  it('holds every line when all are there, and announces each SKU that changed on the prefixed topic', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, placed(orderId, [{ sku: 'KIT-0002', quantity: 1 }, { sku: 'KIT-0001', quantity: 2 }]));

    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 2 });
    expect(await stock('KIT-0002')).toEqual({ available: 0, reserved: 1 });
    expect(await answers()).toEqual([{
      topic, type: 'inventory.stock.reserved', data: { orderId, lines: [{ sku: 'KIT-0001', quantity: 2 }, { sku: 'KIT-0002', quantity: 1 }] },
    }]);
    expect(await stockChanges()).toEqual([
      { sku: 'KIT-0001', available: 3, reserved: 2, version: 2 },
      { sku: 'KIT-0002', available: 0, reserved: 1, version: 2 },
    ]);
  });

  it('never oversells under concurrency: 40 orders racing for 5 units get exactly 5 reservations', async () => {
    const orders = Array.from({ length: 40 }, () => randomUUID());
    // Lines in both SKU orders at once as well: rows are locked in one order, so none of these deadlock.
    const crossed = Array.from({ length: 10 }, (_, i) => placed(randomUUID(), i % 2
      ? [{ sku: 'KIT-0002', quantity: 1 }, { sku: 'KIT-0001', quantity: 1 }]
      : [{ sku: 'KIT-0001', quantity: 1 }, { sku: 'KIT-0002', quantity: 1 }]));
    await Promise.all([...orders.map((id) => handleOrderEvent(ctx, placed(id, [{ sku: 'KIT-0001', quantity: 1 }]))), ...crossed.map((e) => handleOrderEvent(ctx, e))]);

    const all = await answers();
    const reserved = all.filter((a) => a.type === 'inventory.stock.reserved');
    expect(reserved).toHaveLength(5);
    expect(all.filter((a) => a.type === 'inventory.reservation.rejected')).toHaveLength(45);
    expect(await stock('KIT-0001')).toEqual({ available: 0, reserved: 5 });
    const other = await stock('KIT-0002');
    expect(other.available + other.reserved).toBe(1);
  });

  it('gives a redelivered order.placed no second effect, and answers a repeated request again without holding more', async () => {
    const orderId = randomUUID();
    const event = placed(orderId, [{ sku: 'KIT-0001', quantity: 2 }]);
    await handleOrderEvent(ctx, event);
    await handleOrderEvent(ctx, event); // Kafka redelivers: same event id
    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 2 });
    expect(await answers()).toHaveLength(1);

    await handleOrderEvent(ctx, placed(orderId, [{ sku: 'KIT-0001', quantity: 2 }])); // orders asks again: new event id
    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 2 });
    expect((await answers()).map((a) => a.type)).toEqual(['inventory.stock.reserved', 'inventory.stock.reserved']);
    expect(await stockChanges()).toHaveLength(1);
  });
});

describe('releasing on order.cancelled', () => {
  it('gives back what the order held, once, however often the cancel arrives', async () => {
    const orderId = randomUUID();
    const lines = [{ sku: 'KIT-0001', quantity: 3 }, { sku: 'KIT-0002', quantity: 1 }];
    await handleOrderEvent(ctx, placed(orderId, lines));
    const cancel = cancelled(orderId, lines);
    await handleOrderEvent(ctx, cancel);
    await handleOrderEvent(ctx, cancel);
    await handleOrderEvent(ctx, cancelled(orderId, lines));

    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect(await stock('KIT-0002')).toEqual({ available: 1, reserved: 0 });
    expect((await answers(orderId)).map((a) => a.type)).toEqual(['inventory.stock.reserved', 'inventory.stock.released']);
    expect((await answers(orderId))[1]!.data).toEqual({ orderId, lines: [{ sku: 'KIT-0001', quantity: 3 }, { sku: 'KIT-0002', quantity: 1 }] });
    expect((await stockChanges()).slice(-2)).toEqual([
      { sku: 'KIT-0001', available: 5, reserved: 0, version: 3 },
      { sku: 'KIT-0002', available: 1, reserved: 0, version: 3 },
    ]);
  });

  it('releases nothing for a rejected order', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, placed(orderId, [{ sku: 'KIT-0001', quantity: 9 }]));
    await handleOrderEvent(ctx, cancelled(orderId, [{ sku: 'KIT-0001', quantity: 9 }]));
    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect((await answers(orderId)).map((a) => a.type)).toEqual(['inventory.reservation.rejected']);
  });

  it('remembers a cancel that came first, so a late order.placed reserves nothing', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, cancelled(orderId, [{ sku: 'KIT-0001', quantity: 2 }]));
    await handleOrderEvent(ctx, placed(orderId, [{ sku: 'KIT-0001', quantity: 2 }]));
    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect(await answers(orderId)).toEqual([]);
    expect((await findReservation(pool, orderId))?.status).toBe('cancelled');
  });
});

describe('committing on order.confirmed', () => {
  it('turns the held lines into a sale once, and answers a repeated confirm without selling twice', async () => {
    const orderId = randomUUID();
    const lines = [{ sku: 'KIT-0001', quantity: 2 }];
    await handleOrderEvent(ctx, placed(orderId, lines));
    const confirm = confirmed(orderId, lines);
    await handleOrderEvent(ctx, confirm);
    await handleOrderEvent(ctx, confirm);
    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 0 });

    await handleOrderEvent(ctx, confirmed(orderId, lines)); // orders re-sends after its deadline: new id
    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 0 });
    expect((await answers(orderId)).map((a) => a.type)).toEqual([
      'inventory.stock.reserved', 'inventory.stock.committed', 'inventory.stock.committed',
    ]);
    expect((await stockChanges()).at(-1)).toEqual({ sku: 'KIT-0001', available: 3, reserved: 0, version: 3 });

    // A sale is final: a cancel afterwards gives nothing back.
    await handleOrderEvent(ctx, cancelled(orderId, lines));
    expect(await stock('KIT-0001')).toEqual({ available: 3, reserved: 0 });
  });

  it('commits nothing for an order that holds no stock', async () => {
    const orderId = randomUUID();
    await handleOrderEvent(ctx, confirmed(orderId, [{ sku: 'KIT-0001', quantity: 1 }]));
    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect(await answers(orderId)).toEqual([]);
  });
});

describe('what the consumer does not handle', () => {
  it('ignores other event types, and refuses malformed data without changing anything (so it can be dead-lettered)', async () => {
    await handleOrderEvent(ctx, orderEvent('order.status.changed', randomUUID(), { status: 'placed', version: 1 }));
    await expect(handleOrderEvent(ctx, orderEvent('order.placed', randomUUID(), { lines: [{ sku: 'KIT-0001', quantity: -1 }] })))
      .rejects.toThrow(/event data is invalid/);
    expect(await stock('KIT-0001')).toEqual({ available: 5, reserved: 0 });
    expect(await answers()).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM processed_events')).rows[0].n).toBe(0);
  });
});
