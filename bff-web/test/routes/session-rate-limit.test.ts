import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

// Two bff-web instances on the same Redis (and this file's key prefix), as behind a load balancer.
// Their counters start empty in each test: closing a shop drops the prefix's keys.
const LIMIT = 3;
let a: Shop;
let b: Shop;
beforeEach(async () => {
  const env = { AUTH_RATE_LIMIT_PER_MIN: String(LIMIT) };
  [a, b] = await Promise.all([startShop({ env }), startShop({ env })]);
});
afterEach(async () => {
  await a.close();
  await b.close();
});

const PASSWORD = 'correct horse battery';

function expectTooMany(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.json()).toEqual({
    statusCode: 429,
    code: 'WEB_TOO_MANY_ATTEMPTS',
    error: 'Too Many Requests',
    message: `Too many attempts to sign in or register from your address. Please try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
  });
}

describe('sign-in attempts per address', () => {
  it('turns away the attempt past the limit, counted across instances, before the password is checked', async () => {
    await a.browser().register('ada@example.com', PASSWORD);
    const signIns = vi.spyOn(a.identity, 'signIn');
    const onA = a.browser();
    const onB = b.browser();

    expect((await onA.signIn('ada@example.com', 'wrong password 1')).statusCode).toBe(401);
    expect((await onB.signIn('ada@example.com', 'wrong password 2')).statusCode).toBe(401);
    expect((await onA.signIn('ada@example.com', 'wrong password 3')).statusCode).toBe(401);

    // Even the right password, on either instance: the address has used its attempts for this minute.
    expectTooMany(await onA.signIn('ada@example.com', PASSWORD));
    expectTooMany(await onB.signIn('ada@example.com', PASSWORD));
    expect(signIns).toHaveBeenCalledTimes(2); // the third wrong one went to b's identity; the refused ones to none

    // The session is still a guest's, and the rest of the API still answers.
    const session = await onA.session();
    expect(session.statusCode).toBe(200);
    expect(session.json().user).toBeNull();
    expect((await onA.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode).toBe(200);
  });

  it('counts malformed attempts too, since it counts before the body is read', async () => {
    const browser = a.browser();
    await browser.session();
    for (let i = 0; i < LIMIT; i++) expect((await browser.post('/api/session/sign-in', { email: 'not an email' })).statusCode).toBe(400);
    expectTooMany(await browser.post('/api/session/sign-in', { email: 'not an email' }));
  });

  it('counts each address on its own, and registration apart from sign-in', async () => {
    await a.browser().register('ada@example.com', PASSWORD);
    const here = a.browser();
    for (let i = 0; i < LIMIT; i++) await here.signIn('ada@example.com', `wrong password ${i}`);
    expectTooMany(await here.signIn('ada@example.com', PASSWORD));

    const elsewhere = a.browser({}, '127.0.0.2');
    const signedIn = await elsewhere.signIn('ada@example.com', PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toMatchObject({ email: 'ada@example.com' });

    expect((await here.register('grace@example.com', PASSWORD, 'Grace')).statusCode).toBe(201);
  });
});

describe('behind the shell', () => {
  it("counts each shopper the shell forwards on their own, and believes x-forwarded-for only from a trusted proxy", async () => {
    await a.browser().register('ada@example.com', PASSWORD);
    // The shell's server proxies from this machine (trusted: loopback) and names each shopper.
    const shopper = a.browser({ 'x-forwarded-for': '203.0.113.7' });
    for (let i = 0; i < LIMIT; i++) await shopper.signIn('ada@example.com', `wrong password ${i}`);
    expectTooMany(await shopper.signIn('ada@example.com', PASSWORD));
    expect((await a.browser({ 'x-forwarded-for': '198.51.100.4' }).signIn('ada@example.com', PASSWORD)).statusCode).toBe(200);

    // A client on the open network cannot pick a fresh address per attempt.
    const outsider = (n: number) => a.browser({ 'x-forwarded-for': `192.0.2.${n}` }, '203.0.113.99');
    for (let i = 0; i < LIMIT; i++) await outsider(i).signIn('ada@example.com', `guess ${i}`);
    expectTooMany(await outsider(LIMIT).signIn('ada@example.com', PASSWORD));
  });
});

describe('registration attempts per address', () => {
  it('creates no account past the limit', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await a.browser().register(`user${i}@example.com`, PASSWORD)).statusCode).toBe(201);
    expectTooMany(await b.browser().register('one-too-many@example.com', PASSWORD));
    expect(b.identity.userByEmail('one-too-many@example.com')).toBeUndefined();
  });
});

describe('failed sign-ins per account and address', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await startShop({ env: { SIGN_IN_ACCOUNT_FREE_FAILURES: '3', SIGN_IN_ADDRESS_FREE_FAILURES: '6' } });
  });
  afterEach(() => shop.close());

  it('never locks the owner out: wrong passwords from other addresses do not hold back the right one', async () => {
    await shop.browser().register('ada@example.com', PASSWORD);
    for (let i = 0; i < 10; i++) expect((await shop.browser({}, `192.0.2.${i + 1}`).signIn('ada@example.com', `guess ${i}`)).statusCode).toBe(401);
    const owner = await shop.browser({}, '198.51.100.9').signIn('ada@example.com', PASSWORD);
    expect(owner.statusCode).toBe(200);
    expect(owner.json().user).toMatchObject({ email: 'ada@example.com' });
  });

  it('backs off failures of one account from one address with 429 and Retry-After; a success resets them', async () => {
    await shop.browser().register('ada@example.com', PASSWORD);
    const guesser = shop.browser({}, '203.0.113.50');
    for (let i = 0; i < 3; i++) expect((await guesser.signIn('ada@example.com', `guess ${i}`)).statusCode).toBe(401);
    const held = await guesser.signIn('ada@example.com', PASSWORD);
    expect(held.statusCode).toBe(429);
    expect(held.json()).toMatchObject({ code: 'WEB_TOO_MANY_ATTEMPTS', message: expect.stringMatching(/^Too many failed sign-ins from your address/) });
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const home = shop.browser({}, '203.0.113.60');
    for (let i = 0; i < 2; i++) expect((await home.signIn('ada@example.com', `typo ${i}`)).statusCode).toBe(401);
    expect((await home.signIn('ada@example.com', PASSWORD)).statusCode).toBe(200);
    const again = shop.browser({}, '203.0.113.60');
    for (let i = 0; i < 3; i++) expect((await again.signIn('ada@example.com', `typo ${i}`)).statusCode).toBe(401);
  });

  it('backs off an address that fails for many accounts', async () => {
    const guesser = shop.browser({}, '203.0.113.70');
    for (let i = 0; i < 6; i++) expect((await guesser.signIn(`user${i}@example.com`, 'guess')).statusCode).toBe(401);
    expect((await guesser.signIn('someone-else@example.com', 'guess')).statusCode).toBe(429);
  });
});
