import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import type { App } from '@shop/platform/server';
import { buildApp as buildIdentity, migrationsDir } from '@shop/identity/app';
import { readConfig as identityConfig } from '@shop/identity/config';
import { FakeCatalog, FakeInventory, FakeOrders, FakePayments } from '@shop/platform/testing/fake-clients';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { buildApp } from '../../src/app.ts';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { Browser, products } from '../shop.ts';

/**
 * Integration: two bff-web instances (two apps in this process) sharing one Redis and the real identity
 * service (its own test database), as `BFF_WEB_INSTANCES=2` runs them behind the balancer: a session
 * signed in on one works on the other, and both refreshing one session at once keep it signed in.
 * Access tokens live 1 s here, so a refresh can be seen.
 */
const ACCESS_TTL_S = 1;
let identity: Awaited<ReturnType<typeof buildIdentity>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: App;
let b: App;

const instance = (identityUrl: string) =>
  buildApp(testConfig({ IDENTITY_URL: identityUrl, DOWNSTREAM_TIMEOUT_MS: '5000' }), {
    clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), cart: new FakeCart(products()), orders: new FakeOrders(), payments: new FakePayments() },
    liveEvents: null,
  });

beforeAll(async () => {
  database = await createTestDatabase('bffweb_instances', migrationsDir);
  identity = await buildIdentity(identityConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ACCESS_TOKEN_TTL_S: String(ACCESS_TTL_S) }), {
    messaging: false,
  });
  const identityUrl = await listenOnRandomPort(identity as unknown as App);
  [a, b] = await Promise.all([instance(identityUrl), instance(identityUrl)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  identity?.server.closeAllConnections(); // bff-web's fetch keeps connections alive
  await identity?.close();
  await database?.drop();
  const redis = new Redis(testConfig().REDIS_URL);
  const keys = await redis.keys(`${SESSION_KEY_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const email = () => `web-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;

/** The same browser (its cookie and CSRF token) talking to the other instance. */
function sameBrowserOn(app: App, browser: Browser): Browser {
  const other = new Browser(app);
  other.sid = browser.sid;
  other.csrf = browser.csrf;
  return other;
}

describe('two bff-web instances', () => {
  it('serve one session whichever answers: signed in on A, sign-out without its CSRF token refused on B, with it done', async () => {
    const onA = new Browser(a);
    const address = email();
    expect((await onA.register(address, 'correct horse battery', 'Ada')).statusCode).toBe(201);
    const onB = sameBrowserOn(b, onA);
    expect((await onB.session()).json().user).toMatchObject({ email: address });
    expect((await onB.request('POST', '/api/session/sign-out', { body: {}, csrf: false })).statusCode).toBe(403);
    expect((await onB.post('/api/session/sign-out')).json().user).toBeNull();
  });

  it('keep a session signed in when both refresh it at once: the second reuses the first one\'s rotated tokens', async () => {
    const onA = new Browser(a);
    await onA.register(email());
    const onB = sameBrowserOn(b, onA);
    const before = (await a.sessions.load(onA.sid))!;
    // Past the token's life and the verifier's clock tolerance (5 s).
    await new Promise((resolve) => setTimeout(resolve, (ACCESS_TTL_S + 6) * 1000));

    const answers = await Promise.all([onA, onB, onA, onB, onB, onA].map((browser) => browser.get('/api/orders')));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const after = (await b.sessions.load(onB.sid))!;
    expect(after.user).toEqual(before.user);
    expect(after.tokens!.refreshToken).not.toBe(before.tokens!.refreshToken);
    // The stored refresh token is the live one: identity still honours it (a spent token would revoke the family).
    const next = await identity.inject({ method: 'POST', url: '/tokens/refresh', payload: { refreshToken: after.tokens!.refreshToken } });
    expect(next.statusCode).toBe(200);
  }, 30_000);
});
