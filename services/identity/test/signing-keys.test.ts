import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenClaims } from '@shop/contracts/api/identity';
import { createPool, type Pool } from '@shop/platform/db';
import { httpApp, newUser, post, testDatabase, verifyWithJwksOf, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await testDatabase('keys');
  pool = createPool(db.url, 2);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('signing keys and JWKS', () => {
  it('creates one key on the first start, even when two instances start at once', async () => {
    const [a, b] = await Promise.all([httpApp(db.url), httpApp(db.url)]);
    try {
      const jwksA = (await a.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      const jwksB = (await b.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(jwksA.keys).toHaveLength(1);
      expect(jwksB).toEqual(jwksA);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lists the public key as an Ed25519 JWK for signatures, and nothing private', async () => {
    const app = await httpApp(db.url);
    try {
      const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
      const [key] = res.json().keys;
      expect(key).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[\w-]{43}$/), kid: expect.any(String), alg: 'EdDSA', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    } finally {
      await app.close();
    }
  });

  it('keeps its keys across a restart: a token issued before verifies against the JWKS served after', async () => {
    const first = await httpApp(db.url);
    const { tokens, user } = (await post(first, '/users', newUser())).json();
    await first.close();

    const second = await httpApp(db.url);
    try {
      const { payload } = await verifyWithJwksOf(second, tokens.accessToken);
      expect(payload.sub).toBe(user.id);
      // ...and it goes on signing with the same key.
      const next = (await post(second, '/tokens/refresh', { refreshToken: tokens.refreshToken })).json();
      expect(decodeProtectedHeader(next.accessToken).kid).toBe(decodeProtectedHeader(tokens.accessToken).kid);
    } finally {
      await second.close();
    }
  });

  it('signs with the newest key once the old one is retired, and keeps listing the old one while its tokens can live', async () => {
    const before = await httpApp(db.url, { ACCESS_TOKEN_TTL_S: '900' });
    const old = (await post(before, '/users', newUser())).json().tokens.accessToken as string;
    await before.close();
    await pool.query(`UPDATE signing_keys SET retired_at = now()`);

    const after = await httpApp(db.url, { ACCESS_TOKEN_TTL_S: '900' });
    try {
      const fresh = (await post(after, '/users', newUser())).json().tokens.accessToken as string;
      expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(old).kid);
      const jwks = createLocalJWKSet((await after.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json());
      const opts = { algorithms: ['EdDSA'], issuer: TokenClaims.issuer, audience: TokenClaims.audience };
      await expect(jwtVerify(old, jwks, opts)).resolves.toBeDefined();
      await expect(jwtVerify(fresh, jwks, opts)).resolves.toBeDefined();

      // Retired longer ago than a token lives: gone from the JWKS.
      await pool.query(`UPDATE signing_keys SET retired_at = now() - interval '1 hour' WHERE retired_at IS NOT NULL`);
      const pruned = (await after.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(pruned.keys.map((k: { kid: string }) => k.kid)).toEqual([decodeProtectedHeader(fresh).kid]);
    } finally {
      await after.close();
    }
  });
});
