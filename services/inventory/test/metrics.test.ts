import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import { parseMetrics, sampleValue } from '@shop/platform/testing/prometheus';
import { createTestOperator, type TestOperator } from '@shop/platform/testing/operator-keys';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { seedStock } from '../src/seed.ts';
// Types only: `app.outboxRelay`, declared by the relay plugin the service registers.
import type {} from '@shop/platform/outbox-relay-plugin';

// The whole service with its relay on the real broker, topics of the run's own.
const run = randomUUID().slice(0, 8);
const prefix = `t${run}.`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let operator: TestOperator;

beforeAll(async () => {
  db = await createTestDatabase('inventory_metrics', migrationsDir);
  operator = await createTestOperator();
  app = await buildApp(readConfig({
    DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    TOPIC_PREFIX: prefix, OUTBOX_RELAY_ID: `inventory-${run}`, RESERVATIONS_GROUP_ID: `inventory-reservations-${run}`,
  }), { operatorKeys: operator.keys });
  await app.ready();
  await seedStock(app.db, [{ sku: 'KIT-0001', available: 10 }]);
  await app.outboxRelay.drain();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const published = async () => {
  const res = await app.inject('/metrics');
  expect(res.statusCode).toBe(200);
  return sampleValue(parseMetrics(res.body), 'outbox_published_total', { topic: `${prefix}inventory.events` }) ?? 0;
};

describe('GET /metrics', () => {
  it('counts a stock change once the relay has published it, and shows the outbox empty again', async () => {
    const before = await published();
    const res = await app.inject({ method: 'PUT', url: '/stock/KIT-0001', headers: { authorization: operator.authorization }, payload: { available: 4 } });
    expect(res.statusCode).toBe(200);
    await expect.poll(published, { timeout: 20_000 }).toBe(before + 1);
    const scrape = parseMetrics((await app.inject('/metrics')).body);
    expect(sampleValue(scrape, 'outbox_backlog', { loop: 'outbox-relay' })).toBe(0);
    expect(sampleValue(scrape, 'outbox_oldest_pending_seconds', { loop: 'outbox-relay' })).toBe(0);
    expect(sampleValue(scrape, 'http_requests_total', { method: 'PUT', route: '/stock/:sku', status_code: '200' })).toBe(1);
  });
});
