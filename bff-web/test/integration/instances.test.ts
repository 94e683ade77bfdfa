import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@shop/platform/server';
import { Browser } from '../shop.ts';
import { startRealIdentity, type RealIdentity } from './real-identity.ts';

/**
 * Integration: two bff-web instances (two apps in this process) sharing one Redis and the real identity
 * service (its own test database), as `BFF_WEB_INSTANCES=2` runs them behind the balancer: a session
 * signed in on one works on the other, and both refreshing one session at once keep it signed in.
 * Access tokens live 1 s here, so a refresh can be seen.
 */
const ACCESS_TTL_S = 1;
let identity: RealIdentity;
let a: App;
let b: App;

beforeAll(async () => {
  identity = await startRealIdentity('bffweb_instances', ACCESS_TTL_S);
  [a, b] = await Promise.all([identity.bffWeb(), identity.bffWeb()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await identity?.close();
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
    const next = await identity.service.inject({ method: 'POST', url: '/tokens/refresh', payload: { refreshToken: after.tokens!.refreshToken } });
    expect(next.statusCode).toBe(200);
  }, 30_000);
});
