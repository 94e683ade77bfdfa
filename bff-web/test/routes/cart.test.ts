import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

describe('GET /api/cart', () => {
  it("answers the session's cart, creating a guest session for a first visit", async () => {
    const browser = shop.browser();
    const res = await browser.get('/api/cart');
    expect(res.statusCode).toBe(200);
    expect(browser.sid).toBeDefined();
    const { cartId } = (await browser.session()).json();
    expect(res.json()).toEqual({ id: cartId, lines: [], total: { amount: 0, currency: 'EUR', formatted: '€0.00' }, itemCount: 0, version: 0 });
  });

  it('answers 503 when the cart service is down', async () => {
    shop.cart.behaviour = 'down';
    const res = await shop.browser().get('/api/cart');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'WEB_CART_UNAVAILABLE', message: expect.stringMatching(/try again/) });
  });
});

describe('PUT /api/cart/lines/:sku', () => {
  it("sets and removes lines of the session's own cart only", async () => {
    const ada = shop.browser();
    const bob = shop.browser();
    await ada.session();
    await bob.session();

    const set = await ada.put('/api/cart/lines/KIT-0001', { quantity: 2 });
    expect(set.statusCode).toBe(200);
    // Every amount with its display text, so the cart page formats nothing (no Intl in the browser).
    const cart = {
      lines: [{
        sku: 'KIT-0001', name: 'Chef knife', quantity: 2,
        unitPrice: { amount: 1999, currency: 'EUR', formatted: '€19.99' },
        lineTotal: { amount: 3998, currency: 'EUR', formatted: '€39.98' },
      }],
      total: { amount: 3998, currency: 'EUR', formatted: '€39.98' },
      itemCount: 2,
    };
    expect(set.json()).toMatchObject(cart);
    expect((await ada.get('/api/cart')).json()).toMatchObject(cart);
    expect((await bob.get('/api/cart')).json().itemCount).toBe(0);

    const removed = await ada.put('/api/cart/lines/KIT-0001', { quantity: 0 });
    expect(removed.json()).toMatchObject({ lines: [], itemCount: 0 });
  });

  it("passes the cart service's 404 for an unknown product on, with its message", async () => {
    const browser = shop.browser();
    await browser.session();
    const res = await browser.put('/api/cart/lines/NOPE-0001', { quantity: 1 });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, code: 'WEB_PRODUCT_NOT_FOUND', error: 'Not Found', message: 'No product with SKU NOPE-0001 is for sale' });
  });

  it("passes the cart service's 409 for too few in stock on, with its message, and keeps the cart", async () => {
    const browser = shop.browser();
    await browser.session();
    await browser.put('/api/cart/lines/KIT-0002', { quantity: 1 });
    const res = await browser.put('/api/cart/lines/KIT-0002', { quantity: 3 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'WEB_INSUFFICIENT_STOCK', message: 'Only 2 of KIT-0002 left; 3 cannot be put in the cart' });
    expect((await browser.get('/api/cart')).json().lines).toEqual([expect.objectContaining({ sku: 'KIT-0002', quantity: 1 })]);
  });

  it.each([
    ['a negative quantity', '/api/cart/lines/KIT-0001', { quantity: -1 }],
    ['a quantity above 99', '/api/cart/lines/KIT-0001', { quantity: 100 }],
    ['a fractional quantity', '/api/cart/lines/KIT-0001', { quantity: 1.5 }],
    ['no quantity', '/api/cart/lines/KIT-0001', {}],
    ['a malformed sku', '/api/cart/lines/not%20a%20sku', { quantity: 1 }],
  ])('answers 400 for %s and changes nothing', async (_case, url, body) => {
    const browser = shop.browser();
    const { cartId } = (await browser.session()).json();
    const res = await browser.put(url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, message: expect.any(String) });
    expect(shop.cart.view(cartId).version).toBe(0);
  });
});
