import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { OperatorTokenClaims } from '@shop/contracts/api/identity';
import type { Pool } from '@shop/platform/db';
import { ALG, currentSigningKey, type SigningKey } from './signing-keys.ts';

export interface OperatorTokenOptions {
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** Who it is for (`sub`); default `operator`. */
  subject?: string;
  /** OAuth 2.0 scopes (RFC 8693 `scope` claim, space-separated); default `['admin']`. */
  scopes?: string[];
}

/**
 * Signs an operator token for the services' admin APIs with identity's current key: the same issuer and
 * key set as access tokens, the operations audience, and a `scope` claim. Returns the compact JWS.
 */
export function signOperatorToken(key: SigningKey, { ttlSeconds, subject = 'operator', scopes = [OperatorTokenClaims.adminScope] }: OperatorTokenOptions): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(OperatorTokenClaims.issuer)
    .setAudience(OperatorTokenClaims.audience)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key.privateKey);
}

/** An operator token signed with the key in identity's database `pool` (created there if it has none). */
export async function mintOperatorToken(pool: Pool, options: OperatorTokenOptions): Promise<string> {
  return signOperatorToken(await currentSigningKey(pool), options);
}
