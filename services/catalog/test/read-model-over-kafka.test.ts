import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brokerList } from '@shop/platform/config';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { createTestOperator, type TestOperator } from '@shop/platform/testing/operator-keys';
import { topicNames } from '@shop/platform/topics';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { seedCatalog } from '../src/seed.ts';

// The whole CQRS loop on topics of this run's own: the write API's event travels outbox → relay →
// Kafka → the read-model consumer, and so do inventory's stock events.
const run = randomUUID().slice(0, 8);
const prefix = `t${run}.`;
const topics = topicNames(prefix);
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafka = { brokers: brokerList(brokers), clientId: `catalog-cqrs-${run}`, logger: createLogger('test', 'silent') };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let publisher: Publisher;
let operator: TestOperator;

beforeAll(async () => {
  await ensureTopics(kafka, [topics.catalog, topics.inventory]);
  db = await createTestDatabase('catalog_cqrs', migrationsDir);
  operator = await createTestOperator();
  app = await buildApp(
    readConfig({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: prefix,
      OUTBOX_RELAY_ID: `catalog-outbox-${run}`,
      READ_MODEL_GROUP_ID: `catalog-read-model-${run}`,
      OUTBOX_POLL_MS: '1000',
    }),
    { operatorKeys: operator.keys },
  );
  await seedCatalog(app.db, [{ slug: 'lighting', name: 'Lighting' }], [
    { sku: 'LGT-0001', name: 'Desk Lamp', description: 'LED desk lamp.', category: 'lighting', price: { amount: 5900, currency: 'EUR' } },
  ]);
  publisher = await createPublisher(kafka);
});
afterAll(async () => {
  await publisher?.close();
  await app?.close();
  await db?.drop();
});

const listed = async () => (await app.inject({ method: 'GET', url: '/products/LGT-0001' })).json();

it('shows a new price in the listing once its own event has come back through Kafka', async () => {
  const res = await app.inject({ method: 'PUT', url: '/products/LGT-0001/price', headers: { authorization: operator.authorization }, payload: { amount: 4900, currency: 'EUR' } });
  expect(res.statusCode).toBe(200);
  await expect.poll(async () => (await listed()).price.amount, { timeout: 20_000 }).toBe(4900);
  expect((await listed()).priceVersion).toBe(2);
});

it("keeps the listing's stock current from inventory's events", async () => {
  const event = createEvent('inventory', {
    type: 'inventory.stock.changed', subject: 'LGT-0001', data: { sku: 'LGT-0001', available: 2, reserved: 0, version: 3 },
  });
  await publisher.publish(topics.inventory, [{ key: 'LGT-0001', value: JSON.stringify(event) }]);
  await expect.poll(async () => (await listed()).available, { timeout: 20_000 }).toBe(2);
});
