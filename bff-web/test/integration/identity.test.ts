import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@shop/platform/server';
import { Browser } from '../shop.ts';
import { startRealIdentity, type RealIdentity } from './real-identity.ts';

/**
 * Integration: bff-web's sessions against the real identity service (its own test database, on a
 * random port): registration, sign-in, token checks against its JWKS, refresh rotation and revocation.
 * Access tokens live 1 s here, so a refresh can be seen.
 */
const ACCESS_TTL_S = 1;
let identity: RealIdentity;
let app: App;

beforeAll(async () => {
  identity = await startRealIdentity('bffweb_identity', ACCESS_TTL_S);
  app = await identity.bffWeb();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await identity?.close();
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
    const reuse = await identity.service.inject({ method: 'POST', url: '/tokens/refresh', payload: { refreshToken: tokens!.refreshToken } });
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
