import { afterEach, beforeEach, expect, it } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

it("names the session store among /ready's loops, with its state", async () => {
  const res = await shop.app.inject('/ready');
  expect(res.statusCode).toBe(200);
  expect(res.json().loops).toMatchObject({ redis: { state: 'ok' } });

  // Sessions cannot be read without it: the body says so, while catalog pages keep being served.
  shop.app.redis.disconnect();
  const down = await shop.app.inject('/ready');
  expect(down.statusCode).toBe(200);
  expect(down.json().loops.redis).toMatchObject({ state: 'degraded' });
});
