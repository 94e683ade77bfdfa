import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@shop/platform/auth';
import { TokenClaims, type User } from '@shop/contracts/api/identity';
import { buildApp } from '../../src/app.ts';
import type { SessionData } from '../../src/schemas/session.ts';
import { FakeCatalog, FakeInventory } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';
import { startShop, type Browser, type Shop } from '../shop.ts';

// Tokens live server-side in the session; these tests put bad ones there (as a compromised or stale
// store would) and check that bff-web does not act for the user on them.
let shop: Shop;
let browser: Browser;
let ada: User;
beforeEach(async () => {
  shop = await startShop();
  browser = shop.browser();
  await browser.register('ada@example.com');
  ada = shop.identity.userByEmail('ada@example.com')!;
});
afterEach(() => shop.close());

const stored = async () => (await shop.app.sessions.load(browser.sid))!;

async function withAccessToken(accessToken: string) {
  const data = await stored();
  await shop.app.sessions.save(browser.sid!, { ...data, tokens: { ...data.tokens!, accessToken } });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hourAgo = () => Math.floor(Date.now() / 1000) - 3600;

async function expectGuest() {
  const orders = await browser.get('/api/orders');
  expect(orders.statusCode).toBe(401);
  const session = (await browser.session()).json();
  expect(session).toMatchObject({ user: null, cartId: expect.stringMatching(/^guest-/) });
  expect((await stored()).tokens).toBeNull();
}

describe('access tokens in a session', () => {
  it('accepts the token identity issued', async () => {
    expect((await browser.get('/api/orders')).statusCode).toBe(200);
    expect((await browser.session()).json().user).toMatchObject({ id: ada.id });
  });

  it('refuses a tampered token (payload changed, signature kept): the session falls back to guest', async () => {
    const [header, , signature] = (await stored()).tokens!.accessToken.split('.');
    const payload = { sub: ada.id, email: ada.email, name: 'Mallory', iss: TokenClaims.issuer, aud: TokenClaims.audience, iat: hourAgo() + 3600, exp: hourAgo() + 7200 };
    await withAccessToken(`${header}.${b64(payload)}.${signature}`);
    await expectGuest();
  });

  it('refuses a token with the wrong issuer', async () => {
    await withAccessToken(await shop.identity.signAccessToken(ada, { issuer: 'https://evil.example' }));
    await expectGuest();
  });

  it('refuses a token for another audience', async () => {
    await withAccessToken(await shop.identity.signAccessToken(ada, { audience: 'another-app' }));
    await expectGuest();
  });

  it('refuses an unsigned `alg: none` token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: ada.id, email: ada.email, name: ada.name, iss: TokenClaims.issuer, aud: TokenClaims.audience, iat: now, exp: now + 600 };
    await withAccessToken(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
    await expectGuest();
  });

  it('refuses a token signed with a key identity does not publish, even under its kid', async () => {
    const { privateKey } = await generateKeyPair('Ed25519');
    const forged = await new SignJWT({ email: ada.email, name: ada.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: shop.identity.kid })
      .setSubject(ada.id)
      .setIssuer(TokenClaims.issuer)
      .setAudience(TokenClaims.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    await withAccessToken(forged);
    await expectGuest();
  });

  it("does not act for another user whose valid token ended up in this user's session", async () => {
    const bob = await shop.browser().register('bob@example.com');
    const bobUser = shop.identity.userByEmail('bob@example.com')!;
    expect(bob.statusCode).toBe(201);
    await withAccessToken(await shop.identity.signAccessToken(bobUser));
    await expectGuest();
  });

  it('refreshes an expired token once and stores the rotated pair', async () => {
    const before = await stored();
    await withAccessToken(await shop.identity.signAccessToken(ada, { issuedAt: hourAgo(), ttlSeconds: 60 }));

    const [first, second] = await Promise.all([browser.get('/api/orders'), browser.get('/api/cart')]);
    expect(first.statusCode).toBe(200);
    expect(second.json().id).toBe(`user-${ada.id}`);
    expect(shop.identity.refreshes).toBe(1); // concurrent requests share one refresh: a refresh token works once

    const after = await stored();
    expect(after.user).toEqual(before.user);
    expect(after.tokens!.refreshToken).not.toBe(before.tokens!.refreshToken);
    expect(shop.identity.refreshTokens.has(after.tokens!.refreshToken)).toBe(true);
    expect((await browser.get('/api/orders')).statusCode).toBe(200);
    expect(shop.identity.refreshes).toBe(1);
  });

  it('falls back to guest when the refresh token is refused too', async () => {
    const { tokens } = await stored();
    await shop.identity.revoke(tokens!.refreshToken);
    await withAccessToken(await shop.identity.signAccessToken(ada, { issuedAt: hourAgo(), ttlSeconds: 60 }));
    await expectGuest();
  });

  it('answers 503 and keeps the session when the key set cannot be fetched (no sign-out by outage)', async () => {
    const before: SessionData = await stored();
    // A second instance sharing the session store, whose identity is unreachable.
    const other = await buildApp(testConfig({ BREAKER_THRESHOLD: '100' }), {
      clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), cart: shop.cart, identity: shop.identity, payments: shop.payments, orders: shop.orders },
      tokens: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' }),
      liveEvents: null,
    });
    try {
      const res = await other.inject({ url: '/api/orders', headers: { cookie: `sid=${browser.sid}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'WEB_IDENTITY_UNAVAILABLE' });
      expect(await stored()).toEqual(before);
      expect((await browser.get('/api/orders')).statusCode).toBe(200); // and this instance still serves them
    } finally {
      await other.close();
    }
  });
});
