import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { goodCard, shippingAddress } from '../fakes.ts';
import { appWithFakes } from '../support/app.ts';

const SECURED = [
  { method: 'GET', url: '/m/v1/cart' },
  { method: 'PUT', url: '/m/v1/cart/lines/KIT-0001', payload: { quantity: 1 } },
  { method: 'POST', url: '/m/v1/checkout', payload: { shippingAddress, payment: goodCard } },
  { method: 'GET', url: '/m/v1/orders' },
  { method: 'GET', url: '/m/v1/orders/00000000-0000-4000-8000-000000000000' },
] as const;

describe('access and bad input', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  const ada = { id: '6a0b2d4e-1111-4222-8333-944455566677', email: 'ada@example.com', name: 'Ada' };
  beforeAll(async () => {
    t = await appWithFakes({ products: [product('KIT-0001')], levels: [stock('KIT-0001', 5)], env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  it('refuses every signed-in route without a token, or with a forged, expired, unsigned or garbled one: 401 problem+json', async () => {
    const expired = await t.fakes.keys.sign(ada, { issuedAt: Math.floor(Date.now() / 1000) - 3600, ttlS: 60 });
    const forged = await t.fakes.keys.forge(ada);
    const [header, payload] = (await t.fakes.keys.sign(ada)).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: 'someone-else', email: ada.email, name: ada.name })).toString('base64url')}.${(await t.fakes.keys.sign(ada)).split('.')[2]}`;
    const credentials = [undefined, 'Bearer', `Bearer ${forged}`, `Bearer ${expired}`, `Bearer ${unsigned}`, `Bearer ${tampered}`, 'Bearer not.a.jwt', `Basic ${Buffer.from('ada:pw').toString('base64')}`];
    for (const route of SECURED) {
      for (const authorization of credentials) {
        const res = await t.app.inject({ method: route.method, url: route.url, headers: authorization ? { authorization } : {}, ...('payload' in route ? { payload: route.payload } : {}) });
        expect(res.statusCode, `${route.method} ${route.url} with ${authorization}`).toBe(401);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.headers['www-authenticate']).toContain('Bearer');
        expect(res.json()).toMatchObject({ status: 401, code: 'MOBILE_UNAUTHORIZED', title: expect.any(String), type: expect.stringMatching(/unauthorized$/) });
      }
    }
    // The genuine token works.
    expect((await t.app.inject({ url: '/m/v1/cart', headers: { authorization: `Bearer ${await t.fakes.keys.sign(ada)}` } })).statusCode).toBe(200);
  });

  it('a malformed JSON body is a 400, a non-JSON one a 415, an oversized one a 413: all problem+json', async () => {
    const { authorization } = await t.signUp();
    const put = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'PUT', url: '/m/v1/cart/lines/KIT-0001', headers: { authorization, 'content-type': contentType }, payload });

    const malformed = await put('{"quantity": 1');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'MOBILE_MALFORMED_BODY' });

    const empty = await put('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'MOBILE_MALFORMED_BODY' });

    const text = await put('quantity=1', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'MOBILE_UNSUPPORTED_MEDIA_TYPE' });

    const oversized = await put(JSON.stringify({ quantity: 1, note: 'x'.repeat(4096) }));
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({ status: 413, code: 'MOBILE_BODY_TOO_LARGE' });

    for (const res of [malformed, empty, text, oversized]) expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    // Nothing half-written: the cart is as it was.
    expect((await t.app.inject({ url: '/m/v1/cart', headers: { authorization } })).json().lines).toEqual([]);
  });

  it('an unknown route under /m/v1 is a 404 problem', async () => {
    const res = await t.app.inject('/m/v1/nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ status: 404, code: 'MOBILE_ROUTE_NOT_FOUND' });
  });

  it('never shows internals: a failing backend is a 503, a fault of ours a 500 naming only the request', async () => {
    const { authorization } = await t.signUp();
    const original = t.fakes.orders.listOrders.bind(t.fakes.orders);
    t.fakes.orders.listOrders = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secret')");
    };
    const backend = await t.app.inject({ url: '/m/v1/orders', headers: { authorization } });
    t.fakes.orders.listOrders = original;
    expect(backend.statusCode).toBe(503);
    expect(backend.headers['retry-after']).toBe('5');
    expect(backend.json()).toMatchObject({ code: 'MOBILE_SERVICE_UNAVAILABLE', detail: expect.stringContaining('Ordering') });
    expect(backend.body).not.toContain('secret');

    // A product the catalog sent without a name cannot be answered as the schema says: our fault, a 500.
    t.fakes.catalog.products.push({ ...product('BROKEN-0001'), name: undefined as unknown as string });
    const ours = await t.app.inject('/m/v1/products/BROKEN-0001');
    expect(ours.statusCode).toBe(500);
    expect(ours.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(ours.json()).toEqual({
      type: expect.stringMatching(/internal$/),
      title: 'Something went wrong on our side',
      status: 500,
      detail: expect.stringMatching(/^Something went wrong on our side \(request [\w-]+\)$/),
      instance: '/m/v1/products/BROKEN-0001',
      code: 'MOBILE_INTERNAL',
    });
    expect(ours.body).not.toContain('required'); // the serialiser's complaint stays in the log
  });
});
