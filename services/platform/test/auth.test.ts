import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, base64url, generateKeyPair, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenClaims, type Registered } from '@shop/contracts/api/identity';
import { buildApp, migrationsDir } from '@shop/identity/app';
import { readConfig } from '@shop/identity/config';
import { mintOperatorToken } from '@shop/identity/operator-tokens';
import { currentSigningKey, type SigningKey } from '@shop/identity/signing-keys';
// Types only: the decorators identity's app registers (app.db from platform, app.tokens from identity).
import type {} from '@shop/identity/plugins/tokens';
import type {} from '../src/database-plugin.ts';
import { AuthUnavailableError, createTokenVerifier, InvalidTokenError, type TokenVerifier } from '../src/auth.ts';
import { createTestDatabase } from '../src/testing/database.ts';
import { createRemoteJWKSet } from 'jose';
import { OperatorUnauthenticatedError, verifyOperatorToken } from '../src/operator-auth.ts';

// A real identity service on a random port; the verifier fetches its JWKS over HTTP as a BFF does.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let identity: Awaited<ReturnType<typeof buildApp>>;
let jwksUrl: string;
let verifier: TokenVerifier;
let key: SigningKey;
let registered: Registered;

beforeAll(async () => {
  db = await createTestDatabase('platform_auth', migrationsDir);
  identity = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { messaging: false });
  await identity.listen({ port: 0, host: '127.0.0.1' });
  const { port } = identity.server.address() as AddressInfo;
  jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  verifier = createTokenVerifier({ jwksUrl });
  key = await currentSigningKey(identity.db);
  const res = await fetch(`http://127.0.0.1:${port}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `auth-${randomUUID()}@example.com`, password: 'correct horse battery staple', name: 'Ada' }),
  });
  expect(res.status).toBe(201);
  registered = (await res.json()) as Registered;
});
afterAll(async () => {
  await identity?.close();
  await db?.drop();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token with the real key and the claims identity would set, with `changes` applied. */
const forge = (changes: { payload?: JWTPayload; iss?: string; aud?: string; exp?: number; signWith?: SigningKey }) => {
  const signing = changes.signWith ?? key;
  return new SignJWT({ email: registered.user.email, name: registered.user.name, ...changes.payload })
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'JWT' })
    .setSubject(registered.user.id)
    .setIssuer(changes.iss ?? TokenClaims.issuer)
    .setAudience(changes.aud ?? TokenClaims.audience)
    .setIssuedAt()
    .setExpirationTime(changes.exp ?? now() + 600)
    .sign(signing.privateKey);
};

async function refusal(token: string): Promise<InvalidTokenError> {
  const err = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidTokenError);
  expect(err).toMatchObject({ statusCode: 401, code: 'AUTH_INVALID_TOKEN' });
  return err as InvalidTokenError;
}

const otherEd25519Key = async (kid: string): Promise<SigningKey> => ({ kid, privateKey: (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey });

describe('createTokenVerifier', () => {
  it('accepts a token the identity service issued, and answers who it belongs to', async () => {
    expect(await verifier.verify(registered.tokens.accessToken)).toEqual({
      userId: registered.user.id,
      email: registered.user.email,
      name: 'Ada',
    });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, payload, signature] = registered.tokens.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const tampered = base64url.encode(JSON.stringify({ ...claims, sub: randomUUID() }));
    expect((await refusal(`${header}.${tampered}.${signature}`)).reason).toBe('signature');
  });

  it('refuses an expired token signed with the real key', async () => {
    const expired = await identity.tokens.signer.sign(registered.user, { issuedAt: now() - 3600 });
    expect((await refusal(expired)).reason).toBe('expired');
  });

  it('refuses a token from another issuer or for another audience, though signed with the real key', async () => {
    expect((await refusal(await forge({ iss: 'https://evil.example' }))).reason).toBe('claims');
    expect((await refusal(await forge({ aud: 'some-other-app' }))).reason).toBe('claims');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT({ email: registered.user.email, name: 'Ada' })
      .setSubject(registered.user.id)
      .setIssuer(TokenClaims.issuer)
      .setAudience(TokenClaims.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(unsigned.split('.')[0]!)))).toEqual({ alg: 'none' });
    expect((await refusal(unsigned)).reason).toBe('algorithm');
  });

  it('refuses an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const jwks = await (await fetch(jwksUrl)).json();
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs = await new SignJWT({ email: 'a@b.c', name: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject(registered.user.id).setIssuer(TokenClaims.issuer).setAudience(TokenClaims.audience)
      .setIssuedAt().setExpirationTime('10m')
      .sign(secret);
    expect((await refusal(hs)).reason).toBe('algorithm');
  });

  it('refuses a token signed by another Ed25519 key, under a kid of its own or under the real kid', async () => {
    expect((await refusal(await forge({ signWith: await otherEd25519Key(randomUUID()) }))).reason).toBe('unknown-key');
    expect((await refusal(await forge({ signWith: await otherEd25519Key(key.kid) }))).reason).toBe('signature');
  });

  it('refuses text that is not a JWT, and a genuine signature over claims lacking the user', async () => {
    expect((await refusal('not.a.jwt')).reason).toBe('malformed');
    expect((await refusal('')).reason).toBe('malformed');
    expect((await refusal(await forge({ payload: { email: undefined } }))).reason).toBe('claims');
  });

  it('says the check is unavailable, not that the token is bad, when the JWKS cannot be fetched', async () => {
    const offline = createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' });
    const err = await offline.verify(registered.tokens.accessToken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthUnavailableError);
    expect(err).toMatchObject({ statusCode: 503, code: 'AUTH_UNAVAILABLE' });
  });
});

describe('operator tokens (admin APIs)', () => {
  it("verifies a token identity minted with its own key, over its JWKS, with the 'admin' scope", async () => {
    const token = await mintOperatorToken(identity.db, { ttlSeconds: 60 });
    expect(await verifyOperatorToken(token, createRemoteJWKSet(new URL(jwksUrl)))).toEqual({ subject: 'operator', scopes: ['admin'] });
  });

  it("refuses a shopper's access token: it is for another audience", async () => {
    const err = await verifyOperatorToken(registered.tokens.accessToken, createRemoteJWKSet(new URL(jwksUrl))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorUnauthenticatedError);
    expect(err).toMatchObject({ statusCode: 401, message: expect.stringMatching(/aud/) });
  });

  it('says the check is unavailable (503) when identity cannot be reached', async () => {
    const token = await mintOperatorToken(identity.db, { ttlSeconds: 60 });
    const err = await verifyOperatorToken(token, createRemoteJWKSet(new URL('http://127.0.0.1:9/.well-known/jwks.json'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthUnavailableError);
  });
});
