import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sessionHandle } from '../../src/lib/session-store.ts';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { startShop, type Shop } from '../shop.ts';

// Sessions are keyed `<SESSION_KEY_PREFIX><hash of sid>`; the attempt counters live under `…auth-attempts:`.
const redis = new Redis(testConfig().REDIS_URL);
const sessionKeys = async () => (await redis.keys(`${SESSION_KEY_PREFIX}*`)).filter((key) => !key.includes('auth-attempts:'));
const ttlOf = (sid: string) => redis.ttl(SESSION_KEY_PREFIX + sessionHandle(sid));
afterAll(() => redis.quit());

const LONG = 30 * 86_400;
const SHORT = 4 * 3_600;

let shop: Shop;
afterEach(() => shop.close());

describe('guest sessions', () => {

  it('stores nothing for requests without a cookie that only read', async () => {
    shop = await startShop();
    const answers = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      for (const url of ['/api/session', '/api/cart', '/api/orders']) {
        const res = await shop.app.inject({ url });
        answers.set(res.statusCode, (answers.get(res.statusCode) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(answers)).toEqual({ 200: 200, 401: 100 });
    expect(await sessionKeys()).toEqual([]);
  });

  it('reads the same guest session for the same cookie before anything is stored', async () => {
    shop = await startShop();
    const browser = shop.browser();
    const first = (await browser.session()).json();
    expect(first).toEqual({ user: null, cartId: expect.stringMatching(/^guest-[0-9a-f-]{36}$/), csrfToken: expect.stringMatching(/^[\w-]{43}$/) });
    expect((await browser.session()).json()).toEqual(first);
    expect((await browser.get('/api/cart')).json()).toMatchObject({ id: first.cartId, lines: [] });
    expect(await sessionKeys()).toEqual([]);
  });

  it("stores a guest's session at its first write: the cart works, and a filled cart keeps it long", async () => {
    shop = await startShop();
    const browser = shop.browser();
    const { cartId } = (await browser.session()).json();
    const added = await browser.put('/api/cart/lines/KIT-0001', { quantity: 2 });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ id: cartId, itemCount: 2 });
    expect(await sessionKeys()).toHaveLength(1);
    expect(await ttlOf(browser.sid!)).toBeGreaterThan(LONG - 60);

    expect((await browser.get('/api/cart')).json()).toMatchObject({ id: cartId, itemCount: 2 });
    expect((await browser.session()).json().cartId).toBe(cartId);

    // Emptied again: the session goes back to the short life of an empty guest session.
    expect((await browser.put('/api/cart/lines/KIT-0001', { quantity: 0 })).json()).toMatchObject({ itemCount: 0 });
    const ttl = await ttlOf(browser.sid!);
    expect(ttl).toBeGreaterThan(SHORT - 60);
    expect(ttl).toBeLessThanOrEqual(SHORT);
  });

  it('keeps a guest session whose cart stayed empty for GUEST_SESSION_TTL_S only', async () => {
    shop = await startShop({ env: { GUEST_SESSION_TTL_S: '600' } });
    const browser = shop.browser();
    await browser.session();
    // A write that leaves the cart empty (a refused line) still stores the session: short-lived.
    expect((await browser.put('/api/cart/lines/NOPE-0001', { quantity: 1 })).statusCode).toBe(404);
    const ttl = await ttlOf(browser.sid!);
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);
    await browser.session(); // a read renews it with the same short life
    expect(await ttlOf(browser.sid!)).toBeLessThanOrEqual(600);
  });

  it('signs out to a guest that is not stored until it writes', async () => {
    shop = await startShop();
    const browser = shop.browser();
    await browser.register('ada@example.com');
    expect(await sessionKeys()).toHaveLength(1);
    const out = await browser.post('/api/session/sign-out');
    expect(out.statusCode).toBe(200);
    expect(out.json().user).toBeNull();
    expect(await sessionKeys()).toEqual([]);
    expect((await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode).toBe(200);
    expect(await sessionKeys()).toHaveLength(1);
  });
});

describe('new sessions per address', () => {
  it('turns away the first writes of new sessions past the limit with 429 and Retry-After; stored sessions and other addresses go on', async () => {
    shop = await startShop({ env: { SESSION_CREATE_PER_ADDRESS: '3', SESSION_CREATE_WINDOW_S: '600' } });
    const first = shop.browser({}, '198.51.100.1');
    for (let i = 0; i < 3; i++) {
      const browser = i === 0 ? first : shop.browser({}, '198.51.100.1');
      await browser.session();
      expect((await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode).toBe(200);
    }
    const fourth = shop.browser({}, '198.51.100.1');
    await fourth.session();
    const refused = await fourth.put('/api/cart/lines/KIT-0001', { quantity: 1 });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'WEB_TOO_MANY_SESSIONS', message: expect.stringMatching(/^Too many new sessions from your address/) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await sessionKeys()).toHaveLength(3);

    // Reading still works for the refused one, and writing for a session already stored, and elsewhere.
    expect((await fourth.get('/api/cart')).statusCode).toBe(200);
    expect((await first.put('/api/cart/lines/KIT-0001', { quantity: 2 })).statusCode).toBe(200);
    const elsewhere = shop.browser({}, '198.51.100.2');
    await elsewhere.session();
    expect((await elsewhere.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode).toBe(200);
  });
});
