import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startShop, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

async function signedIn(email: string) {
  const browser = shop.browser();
  await browser.register(email);
  return { browser, user: shop.identity.userByEmail(email)! };
}

describe('GET /api/orders', () => {
  it("answers the signed-in user's orders only", async () => {
    const ada = await signedIn('ada@example.com');
    const bob = await signedIn('bob@example.com');
    const adas = shop.orders.add(ada.user.id);
    shop.orders.add(bob.user.id);

    const res = await ada.browser.get('/api/orders');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([expect.objectContaining({ id: adas.id, customerId: ada.user.id, status: 'placed' })]);
  });

  it('answers 401 to a guest', async () => {
    const res = await shop.browser().get('/api/orders');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'WEB_SIGN_IN_REQUIRED' });
  });

  it('answers 503 when orders is down', async () => {
    const { browser } = await signedIn('ada@example.com');
    shop.orders.behaviour = 'down';
    const res = await browser.get('/api/orders');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('WEB_ORDERS_UNAVAILABLE');
  });
});

describe('GET /api/orders/:id', () => {
  it('answers an own order', async () => {
    const ada = await signedIn('ada@example.com');
    const order = shop.orders.add(ada.user.id);
    const res = await ada.browser.get(`/api/orders/${order.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: order.id, status: 'placed', history: [{ status: 'placed' }] });
  });

  it("answers 404 for another user's order, as for an unknown one", async () => {
    const ada = await signedIn('ada@example.com');
    const bob = await signedIn('bob@example.com');
    const bobs = shop.orders.add(bob.user.id);

    const theirs = await ada.browser.get(`/api/orders/${bobs.id}`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual({ statusCode: 404, code: 'WEB_ORDER_NOT_FOUND', error: 'Not Found', message: `You have no order ${bobs.id}` });
    const unknown = await ada.browser.get(`/api/orders/${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
  });

  it("answers 404 even when the orders service wrongly hands out another customer's order", async () => {
    const ada = await signedIn('ada@example.com');
    const bobs = shop.orders.add(randomUUID());
    shop.orders.getOrder = async () => bobs; // ignores the customer
    expect((await ada.browser.get(`/api/orders/${bobs.id}`)).statusCode).toBe(404);
  });

  it('answers 400 for an id that is no uuid, and 401 to a guest', async () => {
    const { browser } = await signedIn('ada@example.com');
    expect((await browser.get('/api/orders/not-an-id')).statusCode).toBe(400);
    expect((await shop.browser().get(`/api/orders/${randomUUID()}`)).statusCode).toBe(401);
  });
});
