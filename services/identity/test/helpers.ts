import { createLocalJWKSet, jwtVerify } from 'jose';
import { TokenClaims } from '@shop/contracts/api/identity';
import { createTestDatabase } from '@shop/platform/testing/database';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;
export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export const testDatabase = (name: string) => createTestDatabase(`identity_${name}`, migrationsDir);

/** The identity app on a test database, without the outbox relay (HTTP tests need no Kafka). */
export const httpApp = (databaseUrl: string, env: Record<string, string> = {}) =>
  buildApp(readConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env }), { messaging: false });

let n = 0;
/** A fresh user's registration body; emails are unique per call. */
export const newUser = (overrides: Partial<{ email: string; password: string; name: string }> = {}) => ({
  email: `shopper-${Date.now()}-${++n}@example.com`,
  password: 'correct horse battery staple',
  name: 'Ada Shopper',
  ...overrides,
});

export const post = (app: TestApp, url: string, payload: object) => app.inject({ method: 'POST', url, payload });

/** Verifies an access token the way a BFF does, against the JWKS this app serves. */
export async function verifyWithJwksOf(app: TestApp, token: string) {
  const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
  return jwtVerify(token, createLocalJWKSet(jwks), {
    algorithms: ['EdDSA'],
    issuer: TokenClaims.issuer,
    audience: TokenClaims.audience,
  });
}
