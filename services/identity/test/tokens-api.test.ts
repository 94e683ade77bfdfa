import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApp, newUser, post, testDatabase, verifyWithJwksOf, type TestApp, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await testDatabase('api');
  app = await httpApp(db.url, { ACCESS_TOKEN_TTL_S: '600' });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const register = async (body = newUser()) => {
  const res = await post(app, '/users', body);
  expect(res.statusCode).toBe(201);
  return { body, ...(res.json() as { user: { id: string; email: string; name: string }; tokens: Pair }) };
};
type Pair = { accessToken: string; refreshToken: string; expiresIn: number };
const signIn = (email: string, password: string) => post(app, '/tokens', { email, password });
const refresh = (refreshToken: string) => post(app, '/tokens/refresh', { refreshToken });

describe('registration', () => {
  it('creates the user and answers 201 with the user and a working token pair', async () => {
    const body = newUser({ name: 'Grace Hopper' });
    const res = await post(app, '/users', body);
    expect(res.statusCode).toBe(201);
    const { user, tokens } = res.json();
    expect(user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: body.email, name: 'Grace Hopper' });
    expect(tokens).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^[\w-]{43}$/), expiresIn: 600 });

    const { payload } = await verifyWithJwksOf(app, tokens.accessToken);
    expect(payload).toMatchObject({ sub: user.id, email: body.email, name: 'Grace Hopper', iss: 'storefront-identity', aud: 'storefront' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.jti).toEqual(expect.any(String));
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(200);

    expect((await app.inject({ method: 'GET', url: `/users/${user.id}` })).json()).toEqual(user);
  });

  it('writes identity.user.registered to the outbox with the user, never the password', async () => {
    const { user, body } = await register();
    const { rows } = await app.db.query('SELECT topic, message_key, event FROM outbox WHERE message_key = $1', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      topic: 'identity.events',
      event: { type: 'identity.user.registered', subject: user.id, source: 'identity', data: { userId: user.id, email: body.email, name: body.name } },
    });
    expect(JSON.stringify(rows[0])).not.toContain(body.password);
  });

  it('refuses an email already registered in any letter case with 409, adding no user and no event', async () => {
    const { body } = await register(newUser({ email: `Taken-${Date.now()}@Example.com` }));
    const counts = await rowCounts();
    const res = await post(app, '/users', newUser({ email: body.email.toLowerCase(), name: 'Someone Else' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, code: 'IDENTITY_EMAIL_TAKEN', error: 'Conflict' });
    expect(await rowCounts()).toEqual(counts);
  });

  it('gives each of two concurrent registrations of one email a clear answer: one 201, one 409', async () => {
    const email = `race-${Date.now()}@example.com`;
    const answers = await Promise.all([post(app, '/users', newUser({ email })), post(app, '/users', newUser({ email: email.toUpperCase() }))]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('stores no password or refresh token in clear: only salted scrypt hashes and SHA-256 digests', async () => {
    const password = 'the very same secret';
    const a = await register(newUser({ password }));
    const b = await register(newUser({ password }));
    const { rows } = await app.db.query<{ id: string; password_hash: string }>(
      'SELECT id, password_hash FROM users WHERE id = ANY($1)', [[a.user.id, b.user.id]],
    );
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
      expect(row.password_hash).not.toContain(password);
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash); // salted
    const everything = JSON.stringify((await app.db.query('SELECT u.*, t.* FROM users u, refresh_tokens t')).rows);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(a.tokens.refreshToken);
    const stored = await app.db.query(`SELECT 1 FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, [a.tokens.refreshToken]);
    expect(stored.rowCount).toBe(1);
  });
});

describe('sign-in', () => {
  it('answers a token pair for the right password, with the email in any letter case', async () => {
    const { user, body } = await register(newUser({ email: `Mixed.Case-${Date.now()}@Example.com` }));
    const res = await signIn(body.email.toLowerCase(), body.password);
    expect(res.statusCode).toBe(200);
    const { payload } = await verifyWithJwksOf(app, res.json().accessToken);
    expect(payload.sub).toBe(user.id);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const { body } = await register();
    const wrong = await signIn(body.email, 'not the password');
    const unknown = await signIn(`nobody-${Date.now()}@example.com`, body.password);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ statusCode: 401, code: 'IDENTITY_INVALID_CREDENTIALS', error: 'Unauthorized', message: 'Email or password is wrong' });
    }
    expect(JSON.stringify(wrong.json())).not.toContain(body.password);
  });

  it('starts a separate sign-in each time: signing one out leaves the other working', async () => {
    const { body } = await register();
    const phone = (await signIn(body.email, body.password)).json() as Pair;
    const laptop = (await signIn(body.email, body.password)).json() as Pair;
    expect((await post(app, '/tokens/revoke', { refreshToken: phone.refreshToken })).statusCode).toBe(204);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(401);
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(200);
  });
});

describe('refresh', () => {
  it('rotates: answers a new pair, and the new refresh token works in turn', async () => {
    const { tokens, user } = await register();
    const first = await refresh(tokens.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json() as Pair;
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect((await verifyWithJwksOf(app, next.accessToken)).payload.sub).toBe(user.id);
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
  });

  it('treats a spent refresh token coming back as theft: 401, and the whole sign-in stops working', async () => {
    const { tokens } = await register();
    const stolen = tokens.refreshToken;
    const legit = (await refresh(stolen)).json() as Pair; // the real client rotates
    const replay = await refresh(stolen); // the thief replays the copy
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('IDENTITY_INVALID_REFRESH_TOKEN');
    // The token the real client holds now is revoked too: whoever holds what must sign in again.
    expect((await refresh(legit.refreshToken)).statusCode).toBe(401);
    expect((await refresh(stolen)).statusCode).toBe(401);
  });

  it('lets exactly one of several concurrent refreshes of one token win', async () => {
    const { tokens } = await register();
    const answers = await Promise.all(Array.from({ length: 6 }, () => refresh(tokens.refreshToken)));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode === 401)).toHaveLength(5);
    // The losers presented a spent token, which is reuse: the winner's new token is revoked as well.
    const winner = answers.find((r) => r.statusCode === 200)!.json() as Pair;
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
  });

  it('refuses an unknown and an expired refresh token with 401', async () => {
    const { tokens } = await register();
    expect((await refresh('x'.repeat(43))).statusCode).toBe(401);
    await app.db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [tokens.refreshToken],
    );
    const expired = await refresh(tokens.refreshToken);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('IDENTITY_INVALID_REFRESH_TOKEN');
  });
});

describe('sign-out', () => {
  it('revokes the sign-in: 204, and neither the token nor its successors refresh again', async () => {
    const { tokens } = await register();
    const next = (await refresh(tokens.refreshToken)).json() as Pair;
    const res = await post(app, '/tokens/revoke', { refreshToken: next.refreshToken });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await refresh(next.refreshToken)).statusCode).toBe(401);
  });

  it('answers 204 for a token it does not know, and for signing out twice', async () => {
    const { tokens } = await register();
    expect((await post(app, '/tokens/revoke', { refreshToken: 'y'.repeat(43) })).statusCode).toBe(204);
    expect((await post(app, '/tokens/revoke', { refreshToken: tokens.refreshToken })).statusCode).toBe(204);
    expect((await post(app, '/tokens/revoke', { refreshToken: tokens.refreshToken })).statusCode).toBe(204);
  });
});

describe('users', () => {
  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('IDENTITY_USER_NOT_FOUND');
    const bad = await app.inject({ method: 'GET', url: '/users/42' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/id/);
  });

  it('never answers a password or its hash', async () => {
    const { user } = await register();
    const res = await app.inject({ method: 'GET', url: `/users/${user.id}` });
    expect(Object.keys(res.json()).sort()).toEqual(['email', 'id', 'name']);
  });
});

describe('access tokens', () => {
  it('are EdDSA JWTs naming a key the JWKS lists', async () => {
    const { tokens } = await register();
    const header = decodeProtectedHeader(tokens.accessToken);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: expect.any(String) });
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
  });
});

const rowCounts = async () =>
  (await app.db.query(
    `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM outbox)::int AS events,
            (SELECT count(*) FROM refresh_tokens)::int AS tokens, (SELECT count(*) FROM refresh_families)::int AS families`,
  )).rows[0];

describe('bad input', () => {
  const ok = newUser();
  const cases: [string, string, string | object | undefined, RegExp][] = [
    ['register: malformed email', '/users', { ...ok, email: 'not-an-email' }, /email/],
    ['register: email too long', '/users', { ...ok, email: `${'a'.repeat(250)}@example.com` }, /email/],
    ['register: short password', '/users', { ...ok, password: 'short' }, /password/],
    ['register: password too long', '/users', { ...ok, password: 'p'.repeat(201) }, /password/],
    ['register: missing name', '/users', { email: ok.email, password: ok.password }, /name/],
    ['register: empty name', '/users', { ...ok, name: '' }, /name/],
    ['register: name not a string', '/users', { ...ok, name: { first: 'Ada' } }, /name/],
    ['register: malformed JSON', '/users', '{"email": ', /JSON/i],
    ['register: no body', '/users', undefined, /body/i],
    ['sign-in: missing password', '/tokens', { email: ok.email }, /password/],
    ['sign-in: malformed email', '/tokens', { email: 'nope', password: ok.password }, /email/],
    ['refresh: token too short', '/tokens/refresh', { refreshToken: 'abc' }, /refreshToken/],
    ['refresh: missing token', '/tokens/refresh', {}, /refreshToken/],
    ['sign-out: token not a string', '/tokens/revoke', { refreshToken: ['a'] }, /refreshToken/],
  ];

  it.each(cases)('%s gets a 400 JSON error naming the field, and writes nothing', async (_name, url, payload, message) => {
    const before = await rowCounts();
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.json().message).toMatch(message);
    expect(await rowCounts()).toEqual(before);
  });
});
