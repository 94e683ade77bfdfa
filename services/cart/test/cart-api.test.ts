import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Cart } from '@shop/contracts/api/cart';
import { dispatch } from '@shop/platform/event-handlers';
import { createEvent } from '@shop/platform/outbox';
import { buildApp, cartHandlers } from '../src/app.ts';
import { GUEST_CART_TTL_MS } from '../src/cart-repository.ts';
import { readConfig } from '../src/config.ts';
import { dropKeys, eur, guestCart, REDIS_URL, uniquePrefix, userCart } from './support.ts';

// The HTTP API against a real Redis, without Kafka: the projection is fed directly, and the events a
// change would publish are read from the outbox stream the relay would drain.
const prefix = uniquePrefix('cart-api');
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  app = await buildApp(readConfig({ REDIS_URL, KEY_PREFIX: prefix, LOG_LEVEL: 'silent' }), { messaging: false });
  const catalog: [string, string, number, number][] = [
    ['KIT-0001', 'Chef Knife', 6400, 10],
    ['KIT-0002', 'Cast Iron Skillet', 3990, 3],
    ['AUD-0001', 'Wireless Headphones', 12900, 5],
    ['OUT-0001', 'Trail Backpack', 9900, 0],
  ];
  for (const [sku, name, amount, available] of catalog) {
    await app.productProjection.applyCatalog(sku, 1, eur(amount), name);
    await app.productProjection.applyStock(sku, 1, available);
  }
  for (let i = 1; i <= 20; i++) {
    const sku = `BULK-${String(i).padStart(4, '0')}`;
    await app.productProjection.applyCatalog(sku, 1, eur(100 * i), `Bulk item ${String(i).padStart(2, '0')}`);
    await app.productProjection.applyStock(sku, 1, 50);
  }
});
afterAll(async () => {
  await app?.close();
  await dropKeys(prefix);
});

const setLine = (cartId: string, sku: string, quantity: unknown) =>
  app.inject({ method: 'PUT', url: `/carts/${cartId}/lines/${sku}`, payload: { quantity } });
const getCart = async (cartId: string) => {
  const res = await app.inject({ method: 'GET', url: `/carts/${cartId}` });
  expect(res.statusCode).toBe(200);
  return res.json() as Cart;
};
const merge = (cartId: string, from: unknown) => app.inject({ method: 'POST', url: `/carts/${cartId}/merge`, payload: { from } });

/** The `cart.updated` events waiting in the outbox for one cart, oldest first. */
async function outboxEvents(cartId: string) {
  const entries = await app.cartStore.redis.xrange(app.cartStore.keys.outbox, '-', '+');
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf('value') + 1]!))
    .filter((e) => e.subject === cartId);
}

describe('lines, totals and versions', () => {
  it('adds, changes and removes lines, with totals in minor units and a version bumped by each change', async () => {
    const id = guestCart();
    expect(await getCart(id)).toEqual({ id, lines: [], total: eur(0), itemCount: 0, version: 0 });

    const added = await setLine(id, 'KIT-0001', 2);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ itemCount: 2, total: eur(12800), version: 1 });

    await setLine(id, 'KIT-0002', 3);
    const changed = (await setLine(id, 'KIT-0001', 1)).json() as Cart;
    expect(changed.lines).toEqual([
      { sku: 'KIT-0002', name: 'Cast Iron Skillet', quantity: 3, unitPrice: eur(3990), lineTotal: eur(11970) },
      { sku: 'KIT-0001', name: 'Chef Knife', quantity: 1, unitPrice: eur(6400), lineTotal: eur(6400) },
    ]);
    expect(changed).toMatchObject({ itemCount: 4, total: eur(18370), version: 3 });

    const removed = (await setLine(id, 'KIT-0002', 0)).json() as Cart;
    expect(removed).toMatchObject({ lines: [{ sku: 'KIT-0001', quantity: 1 }], itemCount: 1, total: eur(6400), version: 4 });
    expect(await getCart(id)).toEqual(removed);
  });

  it('emits cart.updated with the item count and version of every change, and nothing for a change that is none', async () => {
    const id = guestCart();
    await setLine(id, 'KIT-0001', 2);
    await setLine(id, 'KIT-0001', 2); // same quantity: nothing changes
    await setLine(id, 'AUD-0001', 1);
    await setLine(id, 'KIT-0001', 0);
    const events = await outboxEvents(id);
    expect(events.map((e) => e.data)).toEqual([
      { cartId: id, itemCount: 2, version: 1 },
      { cartId: id, itemCount: 3, version: 2 },
      { cartId: id, itemCount: 1, version: 3 },
    ]);
    expect(events[0]).toMatchObject({ specversion: '1.0', type: 'cart.updated', source: 'cart', subject: id });
    expect((await getCart(id)).version).toBe(3);
  });

  it('prices lines at the current price: a price change shows up in the cart', async () => {
    const id = userCart();
    await setLine(id, 'AUD-0001', 2);
    await app.productProjection.applyCatalog('AUD-0001', 2, eur(9900));
    const cart = await getCart(id);
    expect(cart.lines[0]).toMatchObject({ name: 'Wireless Headphones', unitPrice: eur(9900), lineTotal: eur(19800) });
    expect(cart.total).toEqual(eur(19800));
    await app.productProjection.applyCatalog('AUD-0001', 3, eur(12900));
  });

  it('empties a cart on DELETE, and a later change still gets a newer version', async () => {
    const id = guestCart();
    await setLine(id, 'KIT-0001', 1);
    const res = await app.inject({ method: 'DELETE', url: `/carts/${id}` });
    expect(res.statusCode).toBe(204);
    expect(await getCart(id)).toMatchObject({ lines: [], itemCount: 0, version: 2 });
    expect((await setLine(id, 'KIT-0002', 1)).json()).toMatchObject({ itemCount: 1, version: 3 });
    expect((await app.inject({ method: 'DELETE', url: `/carts/${guestCart()}` })).statusCode).toBe(204);
  });
});

describe('stock and products', () => {
  it('refuses more than is available with 409, saying how many are left, and changes nothing', async () => {
    const id = guestCart();
    await setLine(id, 'KIT-0002', 2);
    const res = await setLine(id, 'KIT-0002', 4);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, code: 'CART_INSUFFICIENT_STOCK' });
    expect(res.json().message).toMatch(/only 3 .*left/i);
    expect((await setLine(id, 'OUT-0001', 1)).json().message).toMatch(/out of stock/i);
    expect(await getCart(id)).toMatchObject({ lines: [{ sku: 'KIT-0002', quantity: 2 }], version: 1 });
    expect(await outboxEvents(id)).toHaveLength(1);
  });

  it('answers 404 for a SKU the cart does not know', async () => {
    const id = guestCart();
    const res = await setLine(id, 'NOPE-0001', 1);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'CART_UNKNOWN_PRODUCT', message: expect.stringContaining('NOPE-0001') });
    expect(await getCart(id)).toMatchObject({ lines: [], version: 0 });
  });

  it('loses nothing when two tabs add 20 different products at the same time', async () => {
    const id = userCart();
    const skus = Array.from({ length: 20 }, (_, i) => `BULK-${String(i + 1).padStart(4, '0')}`);
    const results = await Promise.all(skus.map((sku, i) => setLine(id, sku, (i % 3) + 1)));
    expect(results.map((r) => r.statusCode)).toEqual(skus.map(() => 200));
    const cart = await getCart(id);
    expect(cart.lines.map((l) => l.sku)).toEqual(skus);
    expect(cart.itemCount).toBe(skus.reduce((n, _, i) => n + (i % 3) + 1, 0));
    expect(cart.version).toBe(20);
    expect((await outboxEvents(id)).map((e) => e.data.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('merging a guest cart into the account cart', () => {
  it('adds quantities up, caps each by stock, and leaves the guest cart empty', async () => {
    const guest = guestCart();
    const user = userCart();
    await setLine(guest, 'KIT-0001', 4);
    await setLine(guest, 'KIT-0002', 2);
    await setLine(guest, 'AUD-0001', 1);
    await setLine(user, 'KIT-0001', 3);
    await setLine(user, 'KIT-0002', 2);

    const res = await merge(user, guest);
    expect(res.statusCode).toBe(200);
    const merged = res.json() as Cart;
    expect(merged.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['KIT-0002', 3], // 2 + 2, only 3 in stock
      ['KIT-0001', 7],
      ['AUD-0001', 1],
    ]);
    expect(merged).toMatchObject({ itemCount: 11, version: 3 });
    expect(await getCart(guest)).toMatchObject({ lines: [], itemCount: 0 });
    expect((await outboxEvents(guest)).at(-1)?.data).toMatchObject({ itemCount: 0 });
    expect((await outboxEvents(user)).at(-1)?.data).toEqual({ cartId: user, itemCount: 11, version: 3 });

    // Sign-in retried: the guest cart is already empty, so nothing changes.
    const again = await merge(user, guest);
    expect(again.json()).toEqual(merged);
    expect((await outboxEvents(user)).length).toBe(3);
  });

  it('refuses to merge a cart into itself', async () => {
    const id = guestCart();
    await setLine(id, 'KIT-0001', 1);
    const res = await merge(id, id);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'CART_MERGE_INTO_ITSELF', message: expect.stringContaining(id) });
    expect(await getCart(id)).toMatchObject({ itemCount: 1, version: 1 });
  });
});

describe('expiry', () => {
  it('gives a guest cart 30 days from its last use, and an account cart none', async () => {
    const { redis, keys } = app.cartStore;
    const guest = guestCart();
    const user = userCart();
    await setLine(guest, 'KIT-0001', 1);
    await setLine(user, 'KIT-0001', 1);
    await redis.pexpire(keys.cart(guest), 60_000);
    await getCart(guest); // a read counts as use
    const ttl = await redis.pttl(keys.cart(guest));
    expect(ttl).toBeGreaterThan(GUEST_CART_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(GUEST_CART_TTL_MS);
    expect(GUEST_CART_TTL_MS).toBe(30 * 24 * 3600 * 1000);
    expect(await redis.pttl(keys.cart(user))).toBe(-1);
  });

  it('does not create a key for a cart that is only read', async () => {
    const id = guestCart();
    await getCart(id);
    expect(await app.cartStore.redis.exists(app.cartStore.keys.cart(id))).toBe(0);
  });
});

describe('bad input', () => {
  const id = guestCart();
  const cases: [string, () => Promise<{ statusCode: number; json(): { code: string; message: string } }>, RegExp][] = [
    ['a cart id that is neither guest- nor user-<uuid>', () => app.inject({ method: 'GET', url: '/carts/shopper-42' }), /cartId/],
    ['a malformed SKU', () => setLine(id, 'kit 1', 1), /sku/],
    ['quantity -1', () => setLine(id, 'KIT-0001', -1), /quantity/],
    ['quantity 1.5', () => setLine(id, 'KIT-0001', 1.5), /quantity/],
    ['quantity 100', () => setLine(id, 'KIT-0001', 100), /quantity/],
    ['quantity "two"', () => setLine(id, 'KIT-0001', 'two'), /quantity/],
    ['no quantity', () => app.inject({ method: 'PUT', url: `/carts/${id}/lines/KIT-0001`, payload: {} }), /quantity/],
    [
      'malformed JSON',
      () => app.inject({ method: 'PUT', url: `/carts/${id}/lines/KIT-0001`, headers: { 'content-type': 'application/json' }, payload: '{"quantity": 1' }),
      /JSON/,
    ],
    ['a merge from a bad cart id', () => merge(id, 'guest-nope'), /from/],
  ];

  it.each(cases)('answers 400 naming the problem for %s, and writes nothing', async (_name, send, names) => {
    const res = await send();
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.message).toMatch(names);
    expect(await outboxEvents(id)).toEqual([]);
    expect(await app.cartStore.redis.exists(app.cartStore.keys.cart(id))).toBe(0);
  });
});

describe('order confirmed', () => {
  it('takes the order off the account cart once, and leaves a cart that changed after the confirmation alone', async () => {
    const id = userCart();
    await setLine(id, 'KIT-0001', 2);
    const later = new Date(Date.now() + 1000);
    const bought = [{ sku: 'KIT-0001', quantity: 2 }];
    expect(await app.carts.removeOrdered(id, 'evt-1', later, bought)).toBe('removed');
    expect(await app.carts.removeOrdered(id, 'evt-1', later, bought)).toBe('duplicate');
    expect(await getCart(id)).toMatchObject({ lines: [], version: 2 });

    await setLine(id, 'KIT-0002', 1);
    // A confirmation issued before this change (a replayed topic, a late redelivery): the cart stays.
    expect(await app.carts.removeOrdered(id, 'evt-0', new Date(Date.now() - 60_000), [{ sku: 'KIT-0002', quantity: 1 }])).toBe('superseded');
    expect(await getCart(id)).toMatchObject({ itemCount: 1, version: 3 });
  });

  it('removes only what was bought: add A and B, check out A×2, add C, confirm → B and C stay', async () => {
    const customerId = randomUUID();
    const id = `user-${customerId}`;
    await setLine(id, 'KIT-0001', 3); // A: three in the cart, two bought
    await setLine(id, 'KIT-0002', 1); // B: not in the order
    const checkedOut = [{ sku: 'KIT-0001', quantity: 2 }];
    await setLine(id, 'AUD-0001', 1); // C: added after checkout
    const confirmed = createEvent('orders', {
      type: 'order.confirmed', subject: 'order-1', data: { orderId: 'order-1', customerId, lines: checkedOut },
    });
    await dispatch(cartHandlers(app), confirmed); // what the consumer does with it

    const cart = await getCart(id);
    expect(cart.lines.map((l) => [l.sku, l.quantity]).sort()).toEqual([['AUD-0001', 1], ['KIT-0001', 1], ['KIT-0002', 1]]);
    expect(cart).toMatchObject({ itemCount: 3, version: 4 });
    const events = await outboxEvents(id);
    expect(events.at(-1)).toMatchObject({ type: 'cart.updated', data: { cartId: id, itemCount: 3, version: 4 } });

    // Bought all of A this time: the line goes, B and C stay.
    const again = createEvent('orders', {
      type: 'order.confirmed', subject: 'order-2', data: { orderId: 'order-2', customerId, lines: [{ sku: 'KIT-0001', quantity: 1 }] },
    });
    await dispatch(cartHandlers(app), again);
    expect((await getCart(id)).lines.map((l) => l.sku).sort()).toEqual(['AUD-0001', 'KIT-0002']);
  });
});

describe('readiness', () => {
  it('reports Redis as a checked dependency', async () => {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', checks: { redis: 'ok' } });
  });
});
