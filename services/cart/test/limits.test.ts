import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnavailable } from '@shop/platform/unavailable';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { dropKeys, eur, guestCart, REDIS_URL, uniquePrefix, userCart } from './support.ts';

// The bounds of a cart and of its outbox, against a real Redis, without Kafka (nothing drains the outbox).
type App = Awaited<ReturnType<typeof buildApp>>;
const apps: [App, string][] = [];

async function cartService(env: Record<string, string> = {}): Promise<App> {
  const prefix = uniquePrefix('cart-limits');
  const app = await buildApp(readConfig({ REDIS_URL, KEY_PREFIX: prefix, LOG_LEVEL: 'silent', ...env }), { messaging: false });
  apps.push([app, prefix]);
  const products: [string, string, number, number][] = [
    ['KIT-0001', 'Chef Knife', 6400, 99],
    ['KIT-0002', 'Cast Iron Skillet', 3990, 99],
    ['KIT-0003', 'Electric Kettle', 4900, 99],
    ['KIT-0004', 'Bread Knife', 2900, 99],
    // Priced at the most Money holds: two of it are more than any Money.
    ['LUX-0001', 'Gold Plated Toaster', 100_000_000, 99],
  ];
  for (const [sku, name, amount, available] of products) {
    await app.productProjection.applyCatalog(sku, 1, eur(amount), name);
    await app.productProjection.applyStock(sku, 1, available);
  }
  return app;
}

afterAll(async () => {
  for (const [app, prefix] of apps) {
    await app.close();
    await dropKeys(prefix);
  }
});

const setLine = (app: App, cartId: string, sku: string, quantity: number) =>
  app.inject({ method: 'PUT', url: `/carts/${cartId}/lines/${sku}`, payload: { quantity } });
const cartOf = async (app: App, cartId: string) => (await app.inject({ method: 'GET', url: `/carts/${cartId}` })).json();

describe('the total of a cart, with the default limits', () => {
  let app: App;
  beforeAll(async () => {
    app = await cartService();
  });

  it('refuses a line that would take the total past CART_MAX_TOTAL_MINOR (409 naming it), so a cart never holds more than Money can', async () => {
    const id = guestCart();
    expect((await setLine(app, id, 'KIT-0001', 1)).statusCode).toBe(200);
    const res = await setLine(app, id, 'LUX-0001', 2);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CART_TOTAL_LIMIT', message: expect.stringMatching(/LUX-0001.*10000000.*CART_MAX_TOTAL_MINOR/) });
    const cart = await cartOf(app, id);
    expect(cart.lines.map((l: { sku: string }) => l.sku)).toEqual(['KIT-0001']);
    expect(cart.total).toEqual(eur(6400));
  });

  it('still lets a shopper lower a quantity or remove a line', async () => {
    const id = guestCart();
    expect((await setLine(app, id, 'KIT-0001', 3)).statusCode).toBe(200);
    expect((await setLine(app, id, 'KIT-0001', 1)).statusCode).toBe(200);
    expect((await setLine(app, id, 'KIT-0001', 0)).statusCode).toBe(200);
  });

  it('leaves behind what a merge would take past the total', async () => {
    const account = userCart();
    const guest = guestCart();
    await app.productProjection.applyCatalog('LUX-0001', 2, eur(6_000_000), 'Gold Plated Toaster');
    expect((await setLine(app, account, 'LUX-0001', 1)).statusCode).toBe(200);
    expect((await setLine(app, guest, 'LUX-0001', 1)).statusCode).toBe(200);
    expect((await setLine(app, guest, 'KIT-0002', 1)).statusCode).toBe(200);
    const merged = await app.inject({ method: 'POST', url: `/carts/${account}/merge`, payload: { from: guest } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().total.amount).toBeLessThanOrEqual(10_000_000);
    expect(merged.json().lines).toEqual([
      expect.objectContaining({ sku: 'KIT-0002', quantity: 1 }),
      expect.objectContaining({ sku: 'LUX-0001', quantity: 1 }),
    ]);
  });
});

describe('limits set by variables', () => {
  let app: App;
  beforeAll(async () => {
    app = await cartService({ CART_MAX_LINES: '2', CART_MAX_QUANTITY: '5', CART_MAX_TOTAL_MINOR: '20000' });
  });

  it('refuses more units of one product than CART_MAX_QUANTITY (409 naming it)', async () => {
    const id = guestCart();
    const res = await setLine(app, id, 'KIT-0004', 6);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CART_QUANTITY_LIMIT', message: expect.stringMatching(/At most 5 of KIT-0004.*CART_MAX_QUANTITY/) });
    expect((await cartOf(app, id)).lines).toEqual([]);
  });

  it('refuses a product beyond CART_MAX_LINES, and a total beyond CART_MAX_TOTAL_MINOR', async () => {
    const id = guestCart();
    expect((await setLine(app, id, 'KIT-0004', 1)).statusCode).toBe(200);
    expect((await setLine(app, id, 'KIT-0002', 1)).statusCode).toBe(200);
    const third = await setLine(app, id, 'KIT-0003', 1);
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({ code: 'CART_FULL', message: expect.stringMatching(/at most 2/) });
    const costly = await setLine(app, id, 'KIT-0002', 5); // 2900 + 5 × 3990 = 22850 > 20000
    expect(costly.statusCode).toBe(409);
    expect(costly.json()).toMatchObject({ code: 'CART_TOTAL_LIMIT', message: expect.stringMatching(/22850.*20000/) });
    expect((await cartOf(app, id)).total).toEqual(eur(2900 + 3990));
  });
});

describe('a full outbox', () => {
  let app: App;
  beforeAll(async () => {
    app = await cartService({ CART_OUTBOX_MAX: '3', CART_OUTBOX_RETRY_AFTER_S: '7' });
  });
  const outboxLength = () => app.cartStore.redis.xlen(app.cartStore.keys.outbox);

  it('answers 503 with Retry-After once CART_OUTBOX_MAX events wait, and changes nothing (no change without its event)', async () => {
    const id = guestCart();
    for (const quantity of [1, 2, 3]) expect((await setLine(app, id, 'KIT-0001', quantity)).statusCode).toBe(200);
    expect(await outboxLength()).toBe(3);

    const res = await setLine(app, id, 'KIT-0002', 1);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toMatchObject({ code: 'CART_OUTBOX_FULL', message: expect.stringMatching(/try again in 7 s/) });
    expect(await outboxLength()).toBe(3);
    expect((await cartOf(app, id)).lines).toEqual([expect.objectContaining({ sku: 'KIT-0001', quantity: 3 })]);

    // Merges and clears write events too.
    expect((await app.inject({ method: 'DELETE', url: `/carts/${id}` })).statusCode).toBe(503);
    expect((await app.inject({ method: 'POST', url: `/carts/${userCart()}/merge`, payload: { from: id } })).statusCode).toBe(503);
    // Setting what a line already holds is no change: no event, so no refusal.
    expect((await setLine(app, id, 'KIT-0001', 3)).statusCode).toBe(200);
  });

  it("makes the order-confirmed consumer wait (an 'unavailable' error: retried, never dead-lettered)", async () => {
    const err = await app.carts.removeOrdered(userCart(), 'event-1', new Date(), [{ sku: 'KIT-0001', quantity: 1 }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'OutboxFullError' });
    expect(isUnavailable(err)).toBe(true);
  });

  it('takes changes again once the relay has drained the outbox', async () => {
    await app.cartStore.redis.del(app.cartStore.keys.outbox);
    expect((await setLine(app, guestCart(), 'KIT-0002', 1)).statusCode).toBe(200);
  });
});
