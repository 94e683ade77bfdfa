import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisIdempotencyStore } from '../../src/lib/idempotency-store.ts';
import { answers, product, stock } from '@shop/platform/testing/fake-clients';
import { goodCard, shippingAddress } from '../fakes.ts';
import { appWithFakes } from '../support/app.ts';
import { REDIS_URL, testKeyspace } from '../support/redis.ts';

describe('POST /checkout', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  let shopper: Awaited<ReturnType<typeof t.signUp>>;
  beforeAll(async () => {
    t = await appWithFakes({ products: [product('KIT-0001')], levels: [stock('KIT-0001', 50)] });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    shopper = await t.signUp();
    await t.app.inject({ method: 'PUT', url: '/m/v1/cart/lines/KIT-0001', headers: { authorization: shopper.authorization }, payload: { quantity: 2 } });
  });

  const checkout = (key: string | undefined, body: object = { shippingAddress, payment: goodCard }, authorization = shopper.authorization) =>
    t.app.inject({ method: 'POST', url: '/m/v1/checkout', headers: { authorization, ...(key ? { 'idempotency-key': key } : {}) }, payload: body });

  const ordersOf = (userId: string) => t.fakes.orders.orders.filter((o) => o.customerId === userId);

  it('answers 202 {orderId, status} and places the cart as an order', async () => {
    const res = await checkout('first-checkout-key');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ orderId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'placed' });
    expect(res.headers.location).toBe(`/m/v1/orders/${res.json().orderId}`);
    expect(ordersOf(shopper.userId)).toHaveLength(1);
    expect(ordersOf(shopper.userId)[0]!.lines).toEqual([expect.objectContaining({ sku: 'KIT-0001', quantity: 2 })]);
  });

  it('two concurrent checkouts with one key make one order, and both answer it', async () => {
    t.fakes.orders.delayMs = 150; // the first is still placing its order when the second arrives
    const [a, b, c] = await Promise.all([checkout('concurrent-key-1'), checkout('concurrent-key-1'), checkout('concurrent-key-1')]);
    t.fakes.orders.delayMs = 0;
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([202, 202, 202]);
    expect(new Set([a.json().orderId, b.json().orderId, c.json().orderId]).size).toBe(1);
    expect(ordersOf(shopper.userId)).toHaveLength(1);
  });

  it('a retry after the first answered returns the same order; a new key is a new order', async () => {
    const first = await checkout('retry-key-1');
    const retry = await checkout('retry-key-1');
    expect(retry.statusCode).toBe(202);
    expect(retry.json().orderId).toBe(first.json().orderId);
    expect(ordersOf(shopper.userId)).toHaveLength(1);
    const another = await checkout('retry-key-2');
    expect(another.json().orderId).not.toBe(first.json().orderId);
    expect(ordersOf(shopper.userId)).toHaveLength(2);
  });

  it('one key used for a different checkout is a 422; the same key of another user is theirs alone', async () => {
    await checkout('shared-key-1');
    const otherAddress = await checkout('shared-key-1', { shippingAddress: { ...shippingAddress, city: 'Paris' }, payment: goodCard });
    expect(otherAddress.statusCode).toBe(422);
    expect(otherAddress.json()).toMatchObject({ code: 'MOBILE_IDEMPOTENCY_KEY_REUSED', errors: [{ header: 'idempotency-key' }] });

    const someoneElse = await t.signUp();
    await t.app.inject({ method: 'PUT', url: '/m/v1/cart/lines/KIT-0001', headers: { authorization: someoneElse.authorization }, payload: { quantity: 1 } });
    const theirs = await checkout('shared-key-1', undefined, someoneElse.authorization);
    expect(theirs.statusCode).toBe(202);
    expect(ordersOf(someoneElse.userId)).toHaveLength(1);
  });

  it('an empty cart is a 409; a card that fails its check is a 400 naming the field, and the key stays usable', async () => {
    const empty = await t.signUp();
    const res = await checkout('empty-cart-key', undefined, empty.authorization);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MOBILE_CART_EMPTY' });

    const badCard = await checkout('bad-card-key', { shippingAddress, payment: { ...goodCard, cardNumber: '4242 4242 4242 4241' } });
    expect(badCard.statusCode).toBe(400);
    expect(badCard.json()).toMatchObject({ code: 'MOBILE_VALIDATION_FAILED', errors: [{ pointer: '#/payment/cardNumber' }] });
    expect((await checkout('bad-card-key')).statusCode).toBe(202);
  });

  it("passes orders' refusal of a line it cannot price on as a 422 problem naming the SKU", async () => {
    const message = 'lines/0/sku KIT-0001 (Chef Knife) has no price in the catalog, so it cannot be ordered; remove it from the cart';
    t.fakes.orders.behaviour = answers(409, { code: 'ORDERS_PRODUCT_NOT_PRICED', message });
    try {
      const res = await checkout('unpriced-line-key');
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 422, detail: expect.stringMatching(/KIT-0001 .* has no price/) });
    } finally {
      t.fakes.orders.behaviour = 'ok';
    }
    expect(ordersOf(shopper.userId)).toHaveLength(0);
  });

  it('names every invalid field of the form at once', async () => {
    const res = await checkout('invalid-form-key', { shippingAddress: { ...shippingAddress, postalCode: '', country: 'gb' }, payment: { cardNumber: '4242', expiry: '13/30' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '#/payment/cardNumber',
      '#/payment/cvc',
      '#/payment/expiry',
      '#/shippingAddress/country',
      '#/shippingAddress/postalCode',
    ]);
    expect(ordersOf(shopper.userId)).toHaveLength(0);
  });
});

describe('POST /checkout with the Redis idempotency store (several instances)', () => {
  const keyspace = testKeyspace();
  const redis = new Redis(REDIS_URL);
  let one: Awaited<ReturnType<typeof appWithFakes>>;
  let two: Awaited<ReturnType<typeof appWithFakes>>;
  beforeAll(async () => {
    one = await appWithFakes({ products: [product('KIT-0001')], levels: [stock('KIT-0001', 50)], deps: { idempotency: redisIdempotencyStore(redis, keyspace.prefix) } });
    // A second instance over the same backends and the same Redis.
    two = await appWithFakes({ fakes: one.fakes, deps: { idempotency: redisIdempotencyStore(redis, keyspace.prefix) } });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
    redis.disconnect();
    await keyspace.drop();
  });

  it('concurrent checkouts with one key on two instances make one order', async () => {
    const shopper = await one.signUp();
    await one.app.inject({ method: 'PUT', url: '/m/v1/cart/lines/KIT-0001', headers: { authorization: shopper.authorization }, payload: { quantity: 1 } });
    one.fakes.orders.delayMs = 150;
    const send = (t: typeof one) =>
      t.app.inject({
        method: 'POST',
        url: '/m/v1/checkout',
        headers: { authorization: shopper.authorization, 'idempotency-key': 'two-instances-key' },
        payload: { shippingAddress, payment: goodCard },
      });
    const answers = await Promise.all([send(one), send(two), send(one), send(two)]);
    one.fakes.orders.delayMs = 0;
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.json().orderId)).size).toBe(1);
    expect(one.fakes.orders.orders.filter((o) => o.customerId === shopper.userId)).toHaveLength(1);
    expect(one.fakes.payments.methods).toHaveLength(1); // the others never got as far as the card
  });
});
