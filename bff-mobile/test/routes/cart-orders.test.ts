import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { goodCard, shippingAddress } from '../fakes.ts';
import { appWithFakes } from '../support/app.ts';

describe('cart and orders', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  beforeAll(async () => {
    t = await appWithFakes({
      products: [product('KIT-0001', { name: 'Chef Knife', price: { amount: 6400, currency: 'EUR' } }), product('KIT-0002', { name: 'Kettle' })],
      levels: [stock('KIT-0001', 3), stock('KIT-0002', 10)],
    });
  });
  afterAll(() => t.close());

  it("PUT /cart/lines/{sku} sets a quantity, 0 removes it; GET /cart is the caller's own cart", async () => {
    const ada = await t.signUp();
    const put = (sku: string, quantity: number) =>
      t.app.inject({ method: 'PUT', url: `/m/v1/cart/lines/${sku}`, headers: { authorization: ada.authorization }, payload: { quantity } });

    const added = await put('KIT-0001', 2);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual({
      lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity: 2, unitPrice: { amount: 6400, currency: 'EUR' }, lineTotal: { amount: 12800, currency: 'EUR' } }],
      total: { amount: 12800, currency: 'EUR' },
    });
    await put('KIT-0002', 1);
    expect((await put('KIT-0001', 0)).json().lines.map((l: { sku: string }) => l.sku)).toEqual(['KIT-0002']);

    const other = await t.signUp();
    const theirs = await t.app.inject({ url: '/m/v1/cart', headers: { authorization: other.authorization } });
    expect(theirs.json()).toEqual({ lines: [], total: { amount: 0, currency: 'EUR' } });
    const mine = await t.app.inject({ url: '/m/v1/cart', headers: { authorization: ada.authorization } });
    expect(mine.json().lines).toHaveLength(1);
    expect(mine.headers['cache-control']).toBe('private, no-cache');
  });

  it('refuses more than is in stock (409), an unknown product (404), a bad quantity (400)', async () => {
    const ada = await t.signUp();
    const put = (sku: string, payload: unknown) =>
      t.app.inject({ method: 'PUT', url: `/m/v1/cart/lines/${sku}`, headers: { authorization: ada.authorization }, payload: payload as object });
    const tooMany = await put('KIT-0001', { quantity: 4 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'MOBILE_INSUFFICIENT_STOCK', detail: expect.stringContaining('Only 3') });
    expect((await put('NOPE-0001', { quantity: 1 })).json()).toMatchObject({ status: 404, code: 'MOBILE_PRODUCT_NOT_FOUND' });
    const bad = await put('KIT-0001', { quantity: -1, gift: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { pointer: '#/quantity', detail: expect.any(String) },
        { pointer: '#/gift', detail: 'is not allowed' },
      ]),
    );
  });

  it("GET /orders lists only the caller's orders; another user's order is a 404 like a missing one", async () => {
    const ada = await t.signUp();
    const eve = await t.signUp();
    await t.app.inject({ method: 'PUT', url: '/m/v1/cart/lines/KIT-0002', headers: { authorization: ada.authorization }, payload: { quantity: 1 } });
    const placed = await t.app.inject({
      method: 'POST',
      url: '/m/v1/checkout',
      headers: { authorization: ada.authorization, 'idempotency-key': 'ada-order-1' },
      payload: { shippingAddress, payment: goodCard },
    });
    expect(placed.statusCode).toBe(202);
    const { orderId } = placed.json();

    const mine = await t.app.inject({ url: `/m/v1/orders/${orderId}`, headers: { authorization: ada.authorization } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({
      id: orderId,
      status: 'placed',
      lines: [{ sku: 'KIT-0002', name: 'Kettle', quantity: 1, unitPrice: { amount: 1999, currency: 'EUR' }, lineTotal: { amount: 1999, currency: 'EUR' } }],
      total: { amount: 1999, currency: 'EUR' },
      createdAt: expect.any(String),
    });
    expect((await t.app.inject({ url: '/m/v1/orders', headers: { authorization: ada.authorization } })).json().items.map((o: { id: string }) => o.id)).toEqual([orderId]);

    const snooping = await t.app.inject({ url: `/m/v1/orders/${orderId}`, headers: { authorization: eve.authorization } });
    const missing = await t.app.inject({ url: '/m/v1/orders/00000000-0000-4000-8000-000000000000', headers: { authorization: eve.authorization } });
    expect(snooping.statusCode).toBe(404);
    expect(snooping.json()).toMatchObject({ code: 'MOBILE_ORDER_NOT_FOUND' });
    expect({ ...snooping.json(), detail: '', instance: '' }).toEqual({ ...missing.json(), detail: '', instance: '' });
    expect((await t.app.inject({ url: '/m/v1/orders', headers: { authorization: eve.authorization } })).json()).toEqual({ items: [] });
  });
});
