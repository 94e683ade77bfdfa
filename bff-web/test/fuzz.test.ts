import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@shop/platform/auth';
import type { App } from '@shop/platform/server';
import { FakeCatalog, FakeInventory, FakeOrders, FakePayments, product, stock } from '@shop/platform/testing/fake-clients';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import { FakeIdentity, startJwksServer } from '@shop/platform/testing/fake-identity';
import { collectRoutes, fuzzEveryRoute, type FuzzRoute } from '@shop/platform/testing/fuzz-routes';
import { buildApp } from '../src/app.ts';
import { FRAGMENT_REPORTS_KEY_PREFIX, SESSION_KEY_PREFIX, testConfig } from './fakes.ts';
import { Browser, products } from './shop.ts';

// Every route of bff-web, fed schema-driven valid and hostile input as a signed-in browser sends it
// (session cookie and CSRF token; hostile inputs drop or spoil them), with in-memory services behind
// it: never a 5xx or a hang, every 4xx says why, and a refused request changes neither the sessions in
// Redis nor anything the services hold (carts, orders, payment methods, users).
const collector = collectRoutes();
const EMAIL = 'fuzz@example.com';
const PASSWORD = 'correct horse battery';
let app: App;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
let redis: Redis;
let orderId: string;
const identity = await FakeIdentity.create();
const cart = new FakeCart(products());
const orders = new FakeOrders();
const payments = new FakePayments();
const catalog = new FakeCatalog([product('KIT-0001'), product('KIT-0002', { available: 0 })]);
catalog.drawImages = true;

beforeAll(async () => {
  jwks = await startJwksServer(identity);
  // The sign-in lockout would refuse the fuzz shopper's own sign-in after the wrong passwords it is sent.
  app = await buildApp(testConfig({ SIGN_IN_ACCOUNT_FREE_FAILURES: '100000', SIGN_IN_ADDRESS_FREE_FAILURES: '100000' }), {
    clients: { catalog, inventory: new FakeInventory([stock('KIT-0001', 7), stock('KIT-0002', 0)]), cart, identity, payments, orders },
    tokens: createTokenVerifier({ jwksUrl: jwks.url }),
    liveEvents: null,
  });
  await app.ready();
  redis = new Redis(testConfig().REDIS_URL);
  const browser = new Browser(app);
  expect((await browser.register(EMAIL, PASSWORD)).statusCode).toBe(201);
  orderId = orders.add(identity.users.get(EMAIL)!.user.id).id;
});
afterAll(async () => {
  collector.stop();
  await app?.close();
  await jwks?.close();
  const keys = [...(await redis.keys(`${SESSION_KEY_PREFIX}*`)), ...(await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}*`))];
  if (keys.length > 0) await redis.del(...keys);
  redis?.disconnect();
});

/** A signed-in browser's headers; a fresh session per route, and per input on the session routes, which rotate or end it. */
let signedIn: { route: FuzzRoute; headers: Record<string, string> } | undefined;
async function headers(route: FuzzRoute): Promise<Record<string, string>> {
  if (!signedIn || signedIn.route !== route || route.url.startsWith('/api/session')) {
    const browser = new Browser(app);
    expect((await browser.signIn(EMAIL, PASSWORD)).statusCode).toBe(200);
    signedIn = { route, headers: { cookie: `sid=${browser.sid}`, 'x-csrf-token': browser.csrf! } };
  }
  return signedIn.headers;
}

/**
 * What a request could change: sessions and the fakes' state. Left out: sign-in attempt counters
 * (counting refusals is their job) and guest sessions nobody signed in to, which today every request
 * without a session writes — issue 12's first finding, fixed on its own branch (h12-web); signed-in
 * sessions, the ones these inputs carry, are all checked.
 */
async function writes(): Promise<Record<string, string | number>> {
  const keys = (await redis.keys(`${SESSION_KEY_PREFIX}*`)).filter((k) => !k.includes('auth-attempts:')).sort();
  const values = keys.length ? await redis.mget(...keys) : [];
  const signedIn = keys.map((k, i) => [k, values[i]] as const).filter(([, v]) => typeof v === 'string' && JSON.parse(v).user !== null);
  return {
    sessions: JSON.stringify(signedIn),
    carts: JSON.stringify([...cart.carts].map(([id, c]) => [id, [...c.lines], c.version])),
    merges: cart.merges.length,
    orders: orders.placed.length,
    paymentMethods: payments.methods.length,
    users: identity.users.size,
    revoked: identity.revoked.length,
    // Fragment reports: each version's last report time and session counts (a refused report counts nowhere).
    fragmentReports: JSON.stringify(await fragmentReports()),
  };
}

async function fragmentReports(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const key of (await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}*`)).sort()) {
    out.push([key, key.endsWith(':versions') ? await redis.zrange(key, '0', '-1', 'WITHSCORES') : await redis.pfcount(key)]);
  }
  return out;
}

it('answers every route without a 5xx or a hang, names each refusal and writes nothing on one', { timeout: 180_000 }, async () => {
  await fuzzEveryRoute(app, collector, 'bff-web', [
    'GET /api/catalog', 'GET /api/products/:sku', 'GET /api/images/:file', 'GET /api/cart', 'PUT /api/cart/lines/:sku',
    'POST /api/checkout', 'GET /api/orders', 'GET /api/orders/:id', 'GET /api/session', 'POST /api/session/register',
    'POST /api/session/sign-in', 'POST /api/session/sign-out', 'POST /api/fragment-reports', 'GET /api/fragment-reports/summary',
  ], {
    headers,
    samples: {
      sku: ['KIT-0001', 'KIT-0002'], quantity: [1, 2], file: ['KIT-0001.svg'], category: ['kitchen'], id: [orderId],
      email: [EMAIL], password: [PASSWORD], cardNumber: ['4242 4242 4242 4242'], expiry: ['12/39'], cvc: ['123'], country: ['DE'],
      fragment: ['mfe_catalog', 'mfe_cart'], version: ['1.0.0', 'unversioned'],
    },
    writes,
  });
});

describe('what fuzzing found', () => {
  it('refuses a NUL character in a form with a 400 in the form error\'s shape, not a 500', async () => {
    const browser = new Browser(app);
    const res = await browser.register('nul@example.com', PASSWORD, '\u0000');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'NUL_CHARACTER', message: expect.stringContaining('name'), fields: {} });
    expect(identity.users.has('nul@example.com')).toBe(false);
  });
});
