import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import type { App } from '@shop/platform/server';
import { buildApp as buildIdentity, migrationsDir } from '@shop/identity/app';
import { readConfig as identityConfig } from '@shop/identity/config';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory, FakeOrders, FakePayments } from '@shop/platform/testing/fake-clients';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { Browser, products } from '../shop.ts';

/**
 * Integration: bff-web's sessions against the real identity service (its own test database, on a
 * random port): registration, sign-in, token checks against its JWKS, refresh rotation and revocation.
 * Access tokens live 1 s here, so a refresh can be seen.
 */
const ACCESS_TTL_S = 1;
let identity: Awaited<ReturnType<typeof buildIdentity>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase('bffweb_identity', migrationsDir);
  identity = await buildIdentity(identityConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ACCESS_TOKEN_TTL_S: String(ACCESS_TTL_S) }), {
    messaging: false,
  });
  const identityUrl = await listenOnRandomPort(identity as unknown as App);
  app = await buildApp(testConfig({ IDENTITY_URL: identityUrl, DOWNSTREAM_TIMEOUT_MS: '5000' }), {
    clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), cart: new FakeCart(products()), orders: new FakeOrders(), payments: new FakePayments() },
    liveEvents: null,
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  identity?.server.closeAllConnections(); // bff-web's fetch keeps connections alive
  await identity?.close();
  await database?.drop();
  const redis = new Redis(testConfig().REDIS_URL);
  const keys = await redis.keys(`${SESSION_KEY_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const email = () => `web-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;

describe('sessions against the real identity service', () => {
  it('registers, signs out (revoking the refresh token) and signs in again', async () => {
    const browser = new Browser(app);
    const address = email();
    const registered = await browser.register(address, 'correct horse battery', 'Ada');
    expect(registered.statusCode).toBe(201);
    expect(registered.json().user).toMatchObject({ email: address, name: 'Ada' });
    const { tokens } = (await app.sessions.load(browser.sid))!;

    expect((await browser.post('/api/session/sign-out')).json().user).toBeNull();
    const reuse = await identity.inject({ method: 'POST', url: '/tokens/refresh', payload: { refreshToken: tokens!.refreshToken } });
    expect(reuse.statusCode).toBe(401);

    expect((await browser.signIn(address, 'wrong password!')).statusCode).toBe(401);
    const signedIn = await browser.signIn(address, 'correct horse battery');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toEqual(registered.json().user);
    expect((await browser.register(address)).json()).toMatchObject({ code: 'WEB_EMAIL_TAKEN' });
  });

  it('refreshes an expired access token with the rotated refresh token, and refuses a tampered one', async () => {
    const browser = new Browser(app);
    await browser.register(email());
    const before = (await app.sessions.load(browser.sid))!;
    // Past the token's life and the verifier's clock tolerance (5 s).
    await new Promise((resolve) => setTimeout(resolve, (ACCESS_TTL_S + 6) * 1000));

    expect((await browser.get('/api/orders')).statusCode).toBe(200);
    const after = (await app.sessions.load(browser.sid))!;
    expect(after.user).toEqual(before.user);
    expect(after.tokens!.refreshToken).not.toBe(before.tokens!.refreshToken);

    const [header, payload, signature] = after.tokens!.accessToken.split('.');
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    await app.sessions.save(browser.sid!, { ...after, tokens: { ...after.tokens!, accessToken: `${header}.${payload}.${flipped}` } });
    expect((await browser.get('/api/orders')).statusCode).toBe(401);
    expect((await browser.session()).json().user).toBeNull();
  }, 30_000);
});
