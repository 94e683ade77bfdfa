import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithFakes } from '../support/app.ts';

describe('auth routes', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  beforeAll(async () => {
    t = await appWithFakes({ env: { AUTH_RATE_LIMIT_PER_MIN: '5', SIGN_IN_ACCOUNT_FREE_FAILURES: '3' } });
  });
  afterAll(() => t.close());

  // Each test comes from its own address, so the per-address limit of one does not reach the others.
  let address = 0;
  const from = () => `10.0.0.${++address}`;
  const post = (url: string, payload: unknown, remoteAddress = from()) => t.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress });

  it('register answers 201 with tokens that open the signed-in routes; token and refresh answer the same shape', async () => {
    const registered = await post('/m/v1/auth/register', { email: 'ada@example.com', password: 'correct horse', name: 'Ada' });
    expect(registered.statusCode).toBe(201);
    const tokens = registered.json();
    expect(tokens).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect((await t.app.inject({ url: '/m/v1/cart', headers: { authorization: `Bearer ${tokens.accessToken}` } })).statusCode).toBe(200);

    const signedIn = await post('/m/v1/auth/token', { email: 'ada@example.com', password: 'correct horse' });
    expect(signedIn.statusCode).toBe(200);
    expect(Object.keys(signedIn.json()).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);

    const refreshed = await post('/m/v1/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).not.toBe(tokens.refreshToken);
    // Single use: the same refresh token again is refused.
    const replayed = await post('/m/v1/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json()).toMatchObject({ code: 'MOBILE_INVALID_REFRESH_TOKEN' });
  });

  it('says what is wrong: a taken email 409, wrong password 401, bad fields 400 naming each', async () => {
    await post('/m/v1/auth/register', { email: 'grace@example.com', password: 'correct horse', name: 'Grace' });
    const taken = await post('/m/v1/auth/register', { email: 'grace@example.com', password: 'another one', name: 'G' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ status: 409, code: 'MOBILE_EMAIL_TAKEN' });

    const wrong = await post('/m/v1/auth/token', { email: 'grace@example.com', password: 'not it at all' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'MOBILE_INVALID_CREDENTIALS' });

    const bad = await post('/m/v1/auth/register', { email: 'not-an-email', password: 'short' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { pointer: '#/name', detail: 'is required' },
        { pointer: '#/email', detail: expect.stringContaining('email') },
        { pointer: '#/password', detail: expect.stringContaining('8') },
      ]),
    );
  });

  it('limits attempts per address on auth routes (429 problem+json with Retry-After), not other addresses', async () => {
    const attacker = '10.9.9.9';
    const answers: number[] = [];
    // A different account each time: only the per-address limit applies.
    for (let i = 0; i < 7; i++) answers.push((await post('/m/v1/auth/token', { email: `victim-${i}@example.com`, password: 'guess!!' }, attacker)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await post('/m/v1/auth/token', { email: 'ada@example.com', password: 'correct horse' }, attacker);
    expect(limited.json()).toMatchObject({ status: 429, code: 'MOBILE_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post('/m/v1/auth/token', { email: 'ada@example.com', password: 'correct horse' })).statusCode).toBe(200);
  });

  it('never locks the owner out: wrong passwords from anywhere else do not hold back a correct one from their address', async () => {
    await post('/m/v1/auth/register', { email: 'linus@example.com', password: 'correct horse', name: 'Linus' });
    // Ten wrong passwords for the account, each from another address (the old per-account limiter locked it).
    for (let i = 0; i < 10; i++) expect((await post('/m/v1/auth/token', { email: 'Linus@example.com', password: `guess ${i}!!` })).statusCode).toBe(401);
    expect((await post('/m/v1/auth/token', { email: 'linus@example.com', password: 'correct horse' }, '10.8.8.8')).statusCode).toBe(200);
  });

  it('backs off failures of one account from one address (429 with Retry-After, even for the right password); success resets', async () => {
    await post('/m/v1/auth/register', { email: 'margaret@example.com', password: 'correct horse', name: 'Margaret' });
    const guesser = '10.7.7.7';
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await post('/m/v1/auth/token', { email: 'margaret@example.com', password: `guess ${i}!!` }, guesser)).statusCode);
    expect(answers).toEqual([401, 401, 401, 429]);
    const held = await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'correct horse' }, guesser);
    expect(held.json()).toMatchObject({ status: 429, code: 'MOBILE_RATE_LIMITED', detail: expect.stringMatching(/failed sign-ins for this account from your address/) });
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // From the owner's own address: signed in; and after a success there, failures start counting afresh.
    const home = '10.6.6.6';
    await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'wrong one!!' }, home);
    await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'wrong two!!' }, home);
    expect((await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'correct horse' }, home)).statusCode).toBe(200);
    expect((await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'wrong three!!' }, home)).statusCode).toBe(401);
    expect((await post('/m/v1/auth/token', { email: 'margaret@example.com', password: 'correct horse' }, home)).statusCode).toBe(200);
  });
});
