import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { TokenClaims, type User } from '@shop/contracts/api/identity';
import { ALG, type SigningKey } from './signing-keys.ts';

export interface AccessTokenSigner {
  /** Lifetime of the tokens it issues, in seconds (the `expiresIn` clients see). */
  readonly ttlSeconds: number;
  /** A signed access token for `user`. `issuedAt` (unix seconds) back-dates it: tests use it to make expired tokens. */
  sign(user: User, options?: { issuedAt?: number }): Promise<string>;
}

/**
 * Signs access tokens: `sub` is the user id, plus `email` and `name`, a unique `jti`, and `iss`/`aud`
 * from the contract's TokenClaims. The header names the key (`kid`) so verifiers pick it from the JWKS.
 */
export function accessTokenSigner(key: SigningKey, ttlSeconds: number): AccessTokenSigner {
  return {
    ttlSeconds,
    sign(user, { issuedAt = Math.floor(Date.now() / 1000) } = {}) {
      return new SignJWT({ email: user.email, name: user.name })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(TokenClaims.issuer)
        .setAudience(TokenClaims.audience)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(key.privateKey);
    },
  };
}
