import { afterAll, beforeAll, it } from 'vitest';
import { collectRoutes, fuzzEveryRoute, redisWrites } from '@shop/platform/testing/fuzz-routes';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { dropKeys, eur, guestCart, REDIS_URL, uniquePrefix, userCart } from './support.ts';

// Every route, fed schema-driven valid and hostile input: never a 5xx or a hang, every 4xx says
// why, and a refused request leaves every key under this run's prefix (carts, outbox stream) as it was.
const prefix = uniquePrefix('cart-fuzz');
const collector = collectRoutes();
let app: Awaited<ReturnType<typeof buildApp>>;
const carts = [guestCart(), userCart()];

beforeAll(async () => {
  app = await buildApp(readConfig({ REDIS_URL, KEY_PREFIX: prefix, LOG_LEVEL: 'silent' }), { messaging: false });
  await app.ready();
  for (const [sku, amount, available] of [['KIT-0001', 6400, 10], ['OUT-0001', 9900, 0]] as const) {
    await app.productProjection.applyCatalog(sku, 1, eur(amount), sku);
    await app.productProjection.applyStock(sku, 1, available);
  }
});
afterAll(async () => {
  collector.stop();
  await app?.close();
  await dropKeys(prefix);
});

it('answers every route without a 5xx or a hang, names each refusal and writes nothing on one', { timeout: 180_000 }, async () => {
  await fuzzEveryRoute(app, collector, 'cart', [
    'GET /carts/:cartId', 'PUT /carts/:cartId/lines/:sku', 'POST /carts/:cartId/merge', 'DELETE /carts/:cartId',
  ], {
    samples: { cartId: carts, from: carts, sku: ['KIT-0001', 'OUT-0001', 'NOPE-0001'] },
    writes: () => redisWrites(app.cartStore.redis, prefix),
  });
});
