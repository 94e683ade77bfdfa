import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { createPool, type Pool } from '@shop/platform/db';
import { dispatchOnce } from '@shop/platform/event-handlers';
import { createTestDatabase } from '@shop/platform/testing/database';
import { migrationsDir, READ_MODEL, readModelHandlers } from '../src/app.ts';
import { findListed } from '../src/listing-repository.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
// What the read-model consumer does with each message it takes off the catalog and inventory topics.
const updateReadModel = (p: Pool, event: CloudEvent) => dispatchOnce(p, READ_MODEL, readModelHandlers, event);

beforeAll(async () => {
  db = await createTestDatabase('catalog_read_model', migrationsDir);
  pool = createPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const event = (type: string, sku: string, data: object): CloudEvent => ({
  specversion: '1.0', id: randomUUID(), source: 'test', type, subject: sku, time: new Date().toISOString(), data,
});
const stockChanged = (sku: string, available: number, version: number) =>
  event('inventory.stock.changed', sku, { sku, available, reserved: 0, version });
const productUpserted = (sku: string, version: number, amount: number) =>
  event('catalog.product.upserted', sku, {
    sku, name: 'Trail Backpack', description: '35 litre pack.', category: 'outdoor', price: { amount, currency: 'EUR' }, version,
  });
const priceChanged = (sku: string, amount: number, previous: number, version: number) =>
  event('catalog.price.changed', sku, { sku, price: { amount, currency: 'EUR' }, previousPrice: { amount: previous, currency: 'EUR' }, version });

describe('the listing read model', () => {
  it('builds a listed product from its own events and inventory stock events, in whatever order they arrive', async () => {
    await updateReadModel(pool, stockChanged('OUT-0003', 8, 1)); // stock can arrive before the product
    expect(await findListed(pool, 'OUT-0003')).toBeUndefined();
    await updateReadModel(pool, productUpserted('OUT-0003', 1, 9900));
    expect(await findListed(pool, 'OUT-0003')).toMatchObject({ name: 'Trail Backpack', available: 8, price: { amount: 9900 } });
  });

  it('gives a redelivered event no second effect, and drops an event older than what it holds', async () => {
    const sku = 'OUT-0004';
    await updateReadModel(pool, productUpserted(sku, 1, 2990));
    const cut = priceChanged(sku, 1990, 2990, 2);
    const restored = priceChanged(sku, 2990, 1990, 3);
    const stock = stockChanged(sku, 5, 4);
    for (const e of [cut, restored, stock]) await updateReadModel(pool, e);

    // Kafka redelivers the earlier price cut (at-least-once) and a late, stale stock level arrives.
    await updateReadModel(pool, cut);
    await updateReadModel(pool, stockChanged(sku, 50, 2));

    expect(await findListed(pool, sku)).toMatchObject({ price: { amount: 2990 }, priceVersion: 3, available: 5, stockVersion: 4 });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [cut.id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses an event whose data breaks its schema, so the consumer can dead-letter it, and changes nothing', async () => {
    await expect(updateReadModel(pool, event('inventory.stock.changed', 'OUT-0003', { sku: 'OUT-0003', available: -2 }))).rejects.toThrow(
      /event data is invalid/,
    );
    expect(await findListed(pool, 'OUT-0003')).toMatchObject({ available: 8 });
  });

  it('ignores event types it does not project', async () => {
    await expect(updateReadModel(pool, event('inventory.something.else', 'OUT-0003', {}))).resolves.toBeUndefined();
  });
});
