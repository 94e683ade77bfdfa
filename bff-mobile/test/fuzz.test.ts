import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { collectRoutes, fuzzEveryRoute, type FuzzRoute, jsonMessage, problemDetail } from '@shop/platform/testing/fuzz-routes';
import { goodCard } from './fakes.ts';
import { appWithFakes } from './support/app.ts';

// Every route of bff-mobile, fed schema-driven valid and hostile input as an app sends it (a bearer
// token; hostile inputs drop or spoil it), with in-memory services behind it: never a 5xx or a hang,
// every 4xx an RFC 9457 problem with a detail, and a refused request changes nothing the services hold.
const collector = collectRoutes();
let t: Awaited<ReturnType<typeof appWithFakes>>;
let refreshToken: string;
let orderId: string;

beforeAll(async () => {
  t = await appWithFakes({
    products: [product('KIT-0001'), product('KIT-0002')],
    levels: [stock('KIT-0001', 5), stock('KIT-0002', 0)],
    // The per-address limits would refuse most of this run's inputs with 429 before they reach a handler, and
    // the sign-in lockout would refuse the fuzz shopper's own sign-in after the wrong passwords it is sent.
    env: { RATE_LIMIT: '100000', AUTH_RATE_LIMIT_PER_MIN: '100000', SIGN_IN_ACCOUNT_FREE_FAILURES: '100000', SIGN_IN_ADDRESS_FREE_FAILURES: '100000' },
  });
  const res = await t.app.inject({ method: 'POST', url: '/m/v1/auth/register', payload: { email: 'fuzz@example.com', password: 'correct horse', name: 'Fuzz' } });
  expect(res.statusCode).toBe(201);
  refreshToken = res.json().refreshToken;
  orderId = t.fakes.orders.add(t.fakes.identity.userByEmail('fuzz@example.com')!.id).id;
});
afterAll(async () => {
  collector.stop();
  await t?.close();
});

/** The signed-up shopper's bearer header, a fresh token per route. */
let current: { route: FuzzRoute; headers: Record<string, string> } | undefined;
async function headers(route: FuzzRoute): Promise<Record<string, string>> {
  if (current?.route !== route) {
    const res = await t.app.inject({ method: 'POST', url: '/m/v1/auth/token', payload: { email: 'fuzz@example.com', password: 'correct horse' } });
    expect(res.statusCode).toBe(200);
    current = { route, headers: { authorization: `Bearer ${res.json().accessToken}` } };
  }
  return current.headers;
}

/** What a request could change in the services behind the BFF. */
async function writes(): Promise<Record<string, string | number>> {
  const { cart, orders, payments, identity } = t.fakes;
  return {
    carts: JSON.stringify([...cart.carts].map(([id, c]) => [id, [...c.lines], c.version])),
    merges: cart.merges.length,
    orders: orders.placed.length,
    paymentMethods: payments.methods.length,
    users: identity.users.size,
    revoked: identity.revoked.length,
  };
}

it('answers every route without a 5xx or a hang, explains each refusal as a problem and writes nothing on one', { timeout: 180_000 }, async () => {
  await fuzzEveryRoute(t.app, collector, 'bff-mobile', [
    'POST /m/v1/auth/register', 'POST /m/v1/auth/token', 'POST /m/v1/auth/refresh', 'GET /m/v1/home', 'GET /m/v1/products',
    'GET /m/v1/products/:sku', 'GET /m/v1/cart', 'PUT /m/v1/cart/lines/:sku', 'POST /m/v1/checkout', 'GET /m/v1/orders', 'GET /m/v1/orders/:id',
  ], {
    headers,
    // The API answers problems; the docs pages around it (Swagger UI's files) are not the API.
    explains: (res, route) => (route.url.startsWith('/m/v1/') ? problemDetail(res, route) : jsonMessage(res, route)),
    samples: {
      sku: ['KIT-0001', 'KIT-0002'], quantity: [0, 1, 2], category: ['kitchen'], id: [orderId], email: ['fuzz@example.com'],
      password: ['correct horse'], refreshToken: [refreshToken], ...Object.fromEntries(Object.entries(goodCard).map(([k, v]) => [k, [v]])),
      country: ['GB'],
    },
    writes,
  });
});

describe('what fuzzing found', () => {
  it("answers the router's own refusals as problems: an over-long path parameter (414), a broken %-escape (400)", async () => {
    for (const [url, status] of [[`/m/v1/products/${'A'.repeat(200)}`, 414], ['/m/v1/products/%E0%A4%A', 400], ['/m/v1/orders/%', 400]] as const) {
      const res = await t.app.inject({ url, headers: await headers({ method: 'GET', url, schema: {} }) });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status, detail: expect.any(String) });
    }
  });
});
