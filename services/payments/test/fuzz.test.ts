import { afterAll, beforeAll, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import { collectRoutes, fuzzEveryRoute, postgresWrites } from '@shop/platform/testing/fuzz-routes';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

// Every route, fed schema-driven valid and hostile input: never a 5xx or a hang, every 4xx says
// why, and a refused card leaves no payment method (nor charge, nor outbox row) behind.
const collector = collectRoutes();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  db = await createTestDatabase('payments_fuzz', migrationsDir);
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { messaging: false });
  await app.ready();
});
afterAll(async () => {
  collector.stop();
  await app?.close();
  await db?.drop();
});

it('answers every route without a 5xx or a hang, names each refusal and writes nothing on one', { timeout: 180_000 }, async () => {
  const nextYear = String((new Date().getUTCFullYear() + 1) % 100).padStart(2, '0');
  await fuzzEveryRoute(app, collector, 'payments', ['POST /payment-methods'], {
    samples: {
      cardNumber: ['4242 4242 4242 4242', '4000000000000002', '5555555555554444', '4242424242424241'],
      expiry: [`12/${nextYear}`, '01/20', '13/99'],
      cvc: ['123', '1234'],
    },
    writes: () => postgresWrites(app.db),
  });
});
