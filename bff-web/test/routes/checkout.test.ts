import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownstreamError } from '@shop/platform/clients/downstream';
import { checkoutForm, startShop, type Browser, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

/** A signed-in shopper with a knife and a board in the cart. */
async function shopper(email = 'ada@example.com'): Promise<Browser> {
  const browser = shop.browser();
  await browser.register(email);
  await browser.put('/api/cart/lines/KIT-0001', { quantity: 2 });
  await browser.put('/api/cart/lines/KIT-0002', { quantity: 1 });
  return browser;
}

describe('POST /api/checkout', () => {
  it("places the session's cart as the user's order and answers 202 with its id and status", async () => {
    const browser = await shopper();
    const user = shop.identity.userByEmail('ada@example.com')!;
    const res = await browser.post('/api/checkout', checkoutForm());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ orderId: shop.orders.orders[0]!.id, status: 'placed' });

    expect(shop.orders.placed).toEqual([
      {
        customerId: user.id,
        lines: [
          { sku: 'KIT-0001', name: 'Chef knife', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } },
          { sku: 'KIT-0002', name: 'Cutting board', quantity: 1, unitPrice: { amount: 999, currency: 'EUR' } },
        ],
        shippingAddress: checkoutForm().shippingAddress,
        paymentMethodId: shop.payments.methods[0]!.paymentMethodId,
        idempotencyKey: expect.stringMatching(/^web-[0-9a-f]{64}$/),
      },
    ]);
    // The card went to payments only; the cart stays until the order is confirmed.
    expect(JSON.stringify(shop.orders.placed)).not.toContain('4242');
    expect((await browser.get('/api/cart')).json().itemCount).toBe(3);
  });

  it('answers 401 to a guest, before looking at the form', async () => {
    const browser = shop.browser();
    await browser.session();
    await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 });
    const res = await browser.post('/api/checkout', { nonsense: true });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'WEB_SIGN_IN_REQUIRED' });
    expect(shop.orders.placed).toEqual([]);
  });

  it('answers 403 without the CSRF token', async () => {
    const browser = await shopper();
    const res = await browser.request('POST', '/api/checkout', { body: checkoutForm(), csrf: false });
    expect(res.statusCode).toBe(403);
    expect(shop.orders.placed).toEqual([]);
  });

  it('answers 400 with one message per invalid field, all at once', async () => {
    const browser = await shopper();
    const res = await browser.post('/api/checkout', {
      shippingAddress: { name: '', line1: 'Main St 1', postalCode: '1', country: 'de' },
      payment: { cardNumber: '123', expiry: '13/29', cvc: '12345' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      code: 'WEB_INVALID_FORM',
      error: 'Bad Request',
      message: expect.stringContaining('shippingAddress/postalCode'),
      fields: {
        'shippingAddress/name': "Enter the recipient's name (up to 100 characters)",
        'shippingAddress/city': 'Enter the city (up to 100 characters)',
        'shippingAddress/postalCode': 'Enter a postal code of 2 to 12 characters',
        'shippingAddress/country': 'Enter a two-letter country code such as DE',
        'payment/cardNumber': 'Enter a card number of 12 to 19 digits',
        'payment/expiry': 'Enter the expiry date as MM/YY',
        'payment/cvc': 'Enter the 3 or 4 digit security code',
      },
    });
    expect(shop.payments.methods).toEqual([]);
    expect(shop.orders.placed).toEqual([]);
  });

  it.each([
    ['no body', undefined, { body: expect.any(String) }],
    ['no payment', { shippingAddress: checkoutForm().shippingAddress }, { payment: 'Enter your card details' }],
    ['an unknown field', { ...checkoutForm(), coupon: 'FREE' }, { coupon: 'is not a field of this form' }],
  ])('answers 400 for %s, naming it', async (_case, body, fields) => {
    const browser = await shopper();
    const res = await browser.request('POST', '/api/checkout', { body });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual(fields);
  });

  it.each([
    ['a card number that fails its check', { cardNumber: '4242 4242 4242 4241' }, 'payment/cardNumber', 'This card number is not valid; please check it'],
    ['an expired card', { expiry: '01/20' }, 'payment/expiry', 'This card has expired'],
  ])('shows what payments says about %s under that field', async (_case, card, field, message) => {
    const browser = await shopper();
    const form = checkoutForm();
    const res = await browser.post('/api/checkout', { ...form, payment: { ...form.payment, ...card } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'WEB_INVALID_FORM', fields: { [field]: message } });
    expect(shop.orders.placed).toEqual([]);
  });

  it('puts a card refusal with a code it does not know under the field its message names', async () => {
    const browser = await shopper();
    shop.payments.createPaymentMethod = async () => {
      throw new DownstreamError('payments', 400, 'cvc does not match the card', 'PAYMENTS_SOMETHING_NEW');
    };
    const res = await browser.post('/api/checkout', checkoutForm());
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({ 'payment/cvc': 'cvc does not match the card' });
  });

  it('answers 409 for an empty cart', async () => {
    const browser = shop.browser();
    await browser.register('ada@example.com');
    const res = await browser.post('/api/checkout', checkoutForm());
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'WEB_CART_EMPTY', message: expect.stringMatching(/empty/) });
    expect(shop.orders.placed).toEqual([]);
  });

  it('makes one order of a double-click (no Idempotency-Key): the same form for the same cart', async () => {
    const browser = await shopper();
    const [first, second] = await Promise.all([browser.post('/api/checkout', checkoutForm()), browser.post('/api/checkout', checkoutForm())]);
    expect(first.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(shop.orders.orders).toHaveLength(1);

    // A changed cart is a new attempt.
    await browser.put('/api/cart/lines/KIT-0002', { quantity: 2 });
    const third = await browser.post('/api/checkout', checkoutForm());
    expect(third.json().orderId).not.toBe(first.json().orderId);
    expect(shop.orders.orders).toHaveLength(2);
  });

  it("honours the client's Idempotency-Key, scoped to the user", async () => {
    const ada = await shopper('ada@example.com');
    const key = { 'idempotency-key': 'attempt-0001' };
    const first = await ada.post('/api/checkout', checkoutForm(), key);
    const retry = await ada.post('/api/checkout', checkoutForm(), key);
    expect(retry.json()).toEqual(first.json());
    const another = await ada.post('/api/checkout', checkoutForm(), { 'idempotency-key': 'attempt-0002' });
    expect(another.json().orderId).not.toBe(first.json().orderId);

    // The same key from another user names their own attempt, never Ada's order.
    const bob = await shopper('bob@example.com');
    const bobs = await bob.post('/api/checkout', checkoutForm(), key);
    expect(bobs.statusCode).toBe(202);
    expect(bobs.json().orderId).not.toBe(first.json().orderId);
    expect(shop.orders.orders.find((o) => o.id === bobs.json().orderId)?.customerId).toBe(shop.identity.userByEmail('bob@example.com')!.id);
  });

  it('answers 400 for a malformed Idempotency-Key', async () => {
    const browser = await shopper();
    const res = await browser.post('/api/checkout', checkoutForm(), { 'idempotency-key': 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({ 'idempotency-key': expect.stringMatching(/Idempotency-Key header/) });
    expect(shop.orders.placed).toEqual([]);
  });

  it.each([
    ['payments', 'WEB_PAYMENTS_UNAVAILABLE'],
    ['orders', 'WEB_ORDERS_UNAVAILABLE'],
    ['cart', 'WEB_CART_UNAVAILABLE'],
  ] as const)('answers 503 when %s is down', async (service, code) => {
    const browser = await shopper();
    shop[service].behaviour = 'down';
    const res = await browser.post('/api/checkout', checkoutForm());
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe(code);
  });
});
