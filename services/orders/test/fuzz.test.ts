import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import { collectRoutes, fuzzEveryRoute, postgresWrites } from '@shop/platform/testing/fuzz-routes';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

// Every route, fed schema-driven valid and hostile input: never a 5xx or a hang, every 4xx says
// why, and a refused order leaves no order, history or outbox row behind.
const collector = collectRoutes();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let orderId: string;

/** Catalog as orders asks it for current prices: two products for sale; any other SKU is not sold. */
const catalog = {
  async getPrices(skus: readonly string[]) {
    const known: Record<string, [string, number]> = { 'KIT-0001': ['Chef Knife', 4999], 'KIT-0002': ['Cutting Board', 1250] };
    return skus.flatMap((sku) => (known[sku] ? [{ sku, name: known[sku][0], price: { amount: known[sku][1], currency: 'EUR' as const }, version: 1 }] : []));
  },
};

beforeAll(async () => {
  db = await createTestDatabase('orders_fuzz', migrationsDir);
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', TOPIC_PREFIX: `t${randomUUID().slice(0, 8)}.` }), { messaging: false, catalog });
  await app.ready();
  const placed = await app.inject({
    method: 'POST', url: '/orders', payload: {
      customerId: 'user-1',
      lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity: 2, unitPrice: { amount: 4999, currency: 'EUR' } }],
      shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
      paymentMethodId: randomUUID(),
      idempotencyKey: `checkout-${randomUUID()}`,
    },
  });
  expect(placed.statusCode).toBe(202);
  orderId = placed.json().id;
});
afterAll(async () => {
  collector.stop();
  await app?.close();
  await db?.drop();
});

it('answers every route without a 5xx or a hang, names each refusal and writes nothing on one', { timeout: 180_000 }, async () => {
  await fuzzEveryRoute(app, collector, 'orders', ['POST /orders', 'GET /orders', 'GET /orders/:id'], {
    samples: { customerId: ['user-1'], id: [orderId], sku: ['KIT-0001'], currency: ['EUR'], country: ['GB', 'DE'] },
    writes: () => postgresWrites(app.db),
  });
});
