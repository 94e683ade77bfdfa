import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { Topics, DlqHeaders, dlqTopic } from '@shop/contracts/topics';
import { brokerList } from '@shop/platform/config';
import { createPool, type Pool } from '@shop/platform/db';
import { dispatchOnce } from '@shop/platform/event-handlers';
import { startConsumer, type Consumer } from '@shop/platform/kafka/consumer';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { migrationsDir, READ_MODEL, readModelHandlers } from '../src/app.ts';
import { findListed } from '../src/listing-repository.ts';

// The read model's consumer on the real inventory.events topic, in a consumer group of its own,
// fed what a console producer sends to a JSON topic: plain text.
const run = randomUUID().slice(0, 8);
const kafka = { brokers: brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: `catalog-poison-${run}`, logger: createLogger('test', 'silent') };
const sku = `T${run.toUpperCase()}-1`;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
// What the read-model consumer does with each message it takes off the catalog and inventory topics.
const updateReadModel = (p: Pool, event: CloudEvent) => dispatchOnce(p, READ_MODEL, readModelHandlers, event);
let consumer: Consumer;
let publisher: Publisher;

beforeAll(async () => {
  db = await createTestDatabase('catalog_poison', migrationsDir);
  pool = createPool(db.url);
  await pool.query(`INSERT INTO product_listing (sku, name, description, category, price_amount, price_currency, price_version)
                    VALUES ($1, 'Test Lantern', 'A lantern.', 'outdoor', 1500, 'EUR', 1)`, [sku]);
  consumer = await startConsumer(kafka, {
    groupId: `catalog-read-model-${run}`,
    topics: [Topics.inventory],
    fromBeginning: false,
    handle: ({ event }) => updateReadModel(pool, event),
  });
  publisher = await createPublisher(kafka);
});
afterAll(async () => {
  await consumer?.stop();
  await publisher?.close();
  await pool?.end();
  await db?.drop();
});

it('dead-letters plain text on inventory.events with the error in its headers, and goes on with the next event', async () => {
  const poisonKey = `poison-${run}`;
  const stock = createEvent('inventory', {
    type: 'inventory.stock.changed', subject: sku, data: { sku, available: 4, reserved: 0, version: 7 },
  });
  await publisher.publish(Topics.inventory, [
    { key: poisonKey, value: 'hello from kafka-console-producer' },
    { key: sku, value: JSON.stringify(stock) },
  ]);

  await expect.poll(async () => (await findListed(pool, sku))?.available, { timeout: 20_000 }).toBe(4);

  // The topic is shared: other groups (a running cart, say) may dead-letter the same message too.
  const dead = await readTopic(kafka, dlqTopic(Topics.inventory), (m) => m.key === poisonKey && m.headers[DlqHeaders.consumerGroup] === `catalog-read-model-${run}`);
  const letter = dead.at(-1)!;
  expect(letter.value).toBe('hello from kafka-console-producer');
  expect(letter.headers[DlqHeaders.topic]).toBe(Topics.inventory);
  expect(letter.headers[DlqHeaders.consumerGroup]).toBe(`catalog-read-model-${run}`);
  expect(letter.headers[DlqHeaders.error]).toMatch(/JSON/i);
  expect(letter.headers[DlqHeaders.offset]).toMatch(/^\d+$/);
});
