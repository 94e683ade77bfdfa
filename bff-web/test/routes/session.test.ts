import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

const sidCookie = (res: { cookies: unknown }) => (res.cookies as Record<string, unknown>[]).find((c) => c.name === 'sid');

describe('GET /api/session', () => {
  it('starts a guest session with an httpOnly, SameSite=Lax cookie, not Secure over plain http', async () => {
    const res = await shop.browser().session();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null, cartId: expect.stringMatching(/^guest-[0-9a-f-]{36}$/), csrfToken: expect.stringMatching(/^[\w-]{43}$/) });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sid=[\w-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    expect(sidCookie(res)).toMatchObject({ maxAge: 30 * 86_400 });
  });

  it('marks the cookie Secure when the proxy says the page came over https', async () => {
    const res = await shop.browser({ 'x-forwarded-proto': 'https' }).session();
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('answers the same session for the same cookie, and a new one for an unknown or malformed cookie', async () => {
    const browser = shop.browser();
    const first = (await browser.session()).json();
    const sid = browser.sid;
    const again = await browser.session();
    expect(again.json()).toEqual(first);
    expect(sidCookie(again)).toMatchObject({ value: sid, maxAge: 30 * 86_400 }); // renewed, not replaced

    for (const sid of ['not a session', '']) {
      const res = await shop.app.inject({ url: '/api/session', headers: { cookie: `sid=${sid}` } });
      expect(res.json().cartId).not.toBe(first.cartId);
      expect(sidCookie(res)?.value).not.toBe(sid);
    }
    // A well-formed id nothing is stored under stands for a fresh guest (stored at its first write), not anyone's session.
    const unknown = await shop.app.inject({ url: '/api/session', headers: { cookie: `sid=${'A'.repeat(43)}` } });
    expect(unknown.json()).toMatchObject({ user: null, cartId: expect.stringMatching(/^guest-/) });
    expect(unknown.json().cartId).not.toBe(first.cartId);
  });
});

describe('register and sign-in', () => {
  it('registers, merges the guest cart into the new account cart and rotates session id and CSRF token', async () => {
    const browser = shop.browser();
    const guest = (await browser.session()).json();
    await browser.put('/api/cart/lines/KIT-0001', { quantity: 2 });
    const guestSid = browser.sid;

    const res = await browser.register('ada@example.com', 'correct horse battery', 'Ada');
    expect(res.statusCode).toBe(201);
    const user = shop.identity.userByEmail('ada@example.com')!;
    expect(res.json()).toEqual({
      user: { id: user.id, email: 'ada@example.com', name: 'Ada' },
      cartId: `user-${user.id}`,
      csrfToken: expect.any(String),
    });
    expect(res.json().csrfToken).not.toBe(guest.csrfToken);
    expect(browser.sid).not.toBe(guestSid);
    expect(shop.cart.merges).toEqual([{ into: `user-${user.id}`, from: guest.cartId }]);

    const cart = (await browser.get('/api/cart')).json();
    expect(cart).toMatchObject({ id: `user-${user.id}`, itemCount: 2, lines: [{ sku: 'KIT-0001', quantity: 2 }] });

    // The pre-sign-in id is dead: whoever held it (session fixation) gets a fresh guest session.
    const old = await shop.app.inject({ url: '/api/session', headers: { cookie: `sid=${guestSid}` } });
    expect(old.json()).toMatchObject({ user: null });
    expect(old.json().cartId).not.toBe(`user-${user.id}`);
  });

  it('signs in, adding the guest cart to what the account already holds, capped by stock', async () => {
    const first = shop.browser();
    await first.register('ada@example.com');
    await first.put('/api/cart/lines/KIT-0002', { quantity: 1 });

    const other = shop.browser();
    await other.session();
    await other.put('/api/cart/lines/KIT-0002', { quantity: 2 });
    await other.put('/api/cart/lines/KIT-0001', { quantity: 1 });
    const res = await other.signIn('ada@example.com');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'ada@example.com' });

    const cart = (await other.get('/api/cart')).json();
    expect(cart.lines).toEqual([
      expect.objectContaining({ sku: 'KIT-0002', quantity: 2 }), // 1 + 2, but only 2 in stock
      expect.objectContaining({ sku: 'KIT-0001', quantity: 1 }),
    ]);
    // Both browsers now show the same account cart.
    expect((await first.get('/api/cart')).json().lines).toEqual(cart.lines);
  });

  it('answers 401 with a clear message for a wrong password, and the session stays a guest', async () => {
    await shop.browser().register('ada@example.com');
    const browser = shop.browser();
    const before = (await browser.session()).json();
    const res = await browser.signIn('ada@example.com', 'wrong password');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, code: 'WEB_INVALID_CREDENTIALS', error: 'Unauthorized', message: 'The email or password is not correct' });
    expect((await browser.session()).json()).toEqual(before);
  });

  it('answers 409 naming the email field for a taken email', async () => {
    await shop.browser().register('ada@example.com');
    const res = await shop.browser().register('ADA@example.com');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'WEB_EMAIL_TAKEN', fields: { email: expect.stringMatching(/already exists/) } });
  });

  it('answers 400 naming every invalid field, without calling identity', async () => {
    const browser = shop.browser();
    await browser.session();
    const res = await browser.post('/api/session/register', { email: 'not-an-email', password: 'short', extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      statusCode: 400,
      code: 'WEB_INVALID_FORM',
      fields: { email: 'Enter a valid email address', password: 'Use 8 to 200 characters', name: expect.any(String), extra: expect.any(String) },
    });
    expect(shop.identity.users.size).toBe(0);
  });

  it('answers 503 when identity is down, and keeps the guest session', async () => {
    const browser = shop.browser();
    const before = (await browser.session()).json();
    shop.identity.behaviour = 'down';
    const res = await browser.register('ada@example.com');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('WEB_IDENTITY_UNAVAILABLE');
    expect((await browser.session()).json()).toEqual(before);
  });

  it('signs in while the cart service is down and merges the guest cart once it is back', async () => {
    await shop.browser().register('ada@example.com');
    const browser = shop.browser();
    const guest = (await browser.session()).json();
    await browser.put('/api/cart/lines/KIT-0001', { quantity: 3 });
    shop.cart.behaviour = 'down';
    const res = await browser.signIn('ada@example.com');
    expect(res.statusCode).toBe(200);

    shop.cart.behaviour = 'ok';
    const cart = (await browser.get('/api/cart')).json();
    expect(cart.lines).toEqual([expect.objectContaining({ sku: 'KIT-0001', quantity: 3 })]);
    expect(shop.cart.merges.at(-1)).toEqual({ into: res.json().cartId, from: guest.cartId });
  });
});

describe('POST /api/session/sign-out', () => {
  it('revokes the refresh token and answers a fresh guest session with an empty cart', async () => {
    const browser = shop.browser();
    await browser.register('ada@example.com');
    await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 });
    const signedInSid = browser.sid;
    const [refreshToken] = [...shop.identity.refreshTokens.keys()];

    const res = await browser.post('/api/session/sign-out');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: null, cartId: expect.stringMatching(/^guest-/) });
    expect(shop.identity.revoked).toEqual([refreshToken]);
    expect(browser.sid).not.toBe(signedInSid);
    expect((await browser.get('/api/cart')).json()).toMatchObject({ itemCount: 0, lines: [] });
    expect((await browser.get('/api/orders')).statusCode).toBe(401);

    const old = await shop.app.inject({ url: '/api/session', headers: { cookie: `sid=${signedInSid}` } });
    expect(old.json().user).toBeNull();
  });
});

describe('CSRF', () => {
  it.each([
    ['without a token', undefined],
    ['with a wrong token', 'A'.repeat(43)],
    ['with a token of another length', 'short'],
  ])('refuses a state-changing request %s with 403, changing nothing', async (_case, token) => {
    const browser = shop.browser();
    const { cartId } = (await browser.session()).json();
    const res = await browser.request('PUT', '/api/cart/lines/KIT-0001', {
      body: { quantity: 1 },
      csrf: false,
      headers: token ? { 'x-csrf-token': token } : {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'WEB_CSRF_TOKEN_INVALID' });
    expect(shop.cart.view(cartId).lines).toEqual([]);
  });

  it("refuses another session's token", async () => {
    const mine = shop.browser();
    await mine.session();
    const theirs = shop.browser();
    await theirs.session();
    const res = await mine.request('POST', '/api/session/sign-out', { body: {}, csrf: false, headers: { 'x-csrf-token': theirs.csrf! } });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a state-changing request without a session at all', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/session/sign-in', payload: { email: 'a@b.de', password: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('WEB_CSRF_TOKEN_INVALID');
  });

  it('refuses sign-in and register without the token (no login CSRF)', async () => {
    await shop.browser().register('ada@example.com');
    const browser = shop.browser();
    await browser.session();
    const res = await browser.request('POST', '/api/session/sign-in', { body: { email: 'ada@example.com', password: 'correct horse battery' }, csrf: false });
    expect(res.statusCode).toBe(403);
    expect((await browser.session()).json().user).toBeNull();
  });

  it('accepts the session token, and the new one after sign-in (the old one no longer)', async () => {
    const browser = shop.browser();
    await browser.session();
    const guestToken = browser.csrf!;
    expect((await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode).toBe(200);
    await browser.register('ada@example.com');
    expect((await browser.put('/api/cart/lines/KIT-0001', { quantity: 2 })).statusCode).toBe(200);
    const stale = await browser.request('PUT', '/api/cart/lines/KIT-0001', { body: { quantity: 3 }, csrf: false, headers: { 'x-csrf-token': guestToken } });
    expect(stale.statusCode).toBe(403);
  });
});
