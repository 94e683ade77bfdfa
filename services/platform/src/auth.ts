import { createRemoteJWKSet, jwtVerify } from 'jose';
import { TokenClaims } from '@shop/contracts/api/identity';
import { HttpError } from './errors.ts';

/**
 * Verifies the identity service's access tokens (EdDSA JWTs) against its public keys
 * (`GET /.well-known/jwks.json`), so BFFs share no secret with it. jose fetches the key set on first
 * use, caches it, and refetches (at most every 30 s) when a token names a key it does not know, which
 * is how key rotation reaches verifiers.
 *
 *   const tokens = createTokenVerifier({ jwksUrl: `${config.IDENTITY_URL}/.well-known/jwks.json` });
 *   const { userId } = await tokens.verify(bearer); // throws InvalidTokenError (401) or AuthUnavailableError (503)
 */

export interface TokenVerifierOptions {
  jwksUrl: string | URL;
  /** Expected `iss`; the contract's TokenClaims by default. */
  issuer?: string;
  /** Expected `aud`; the contract's TokenClaims by default. */
  audience?: string;
  /** Leeway for clocks that differ between hosts, in seconds (default 5). */
  clockToleranceSeconds?: number;
}

export interface VerifiedUser {
  userId: string;
  email: string;
  name: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedUser>;
}

export type InvalidTokenReason =
  | 'malformed' // not a compact JWS, or its header or payload is not JSON
  | 'algorithm' // anything but EdDSA, `alg: none` included
  | 'unknown-key' // no key in the JWKS matches the header's kid
  | 'signature' // the signature does not match the header and payload
  | 'expired'
  | 'claims'; // wrong issuer or audience, not yet valid, or a required claim missing

/** The token is not one the identity service issued and still stands behind: answer 401. */
export class InvalidTokenError extends HttpError {
  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
  ) {
    super(401, 'AUTH_INVALID_TOKEN', `Access token refused (${reason}): ${message}`);
    this.name = 'InvalidTokenError';
  }
}

/** The key set could not be fetched, so no token can be judged right now: answer 503, do not sign the user out. */
export class AuthUnavailableError extends HttpError {
  constructor(cause: unknown) {
    super(503, 'AUTH_UNAVAILABLE', 'Cannot check access tokens right now; try again shortly');
    this.name = 'AuthUnavailableError';
    this.cause = cause;
  }
}

/** jose's error codes that say the token is bad; any other failure (fetching the JWKS) says nothing about it. */
const REASONS = new Map<string | undefined, InvalidTokenReason>([
  ['ERR_JWS_INVALID', 'malformed'],
  ['ERR_JWT_INVALID', 'malformed'],
  ['ERR_JOSE_NOT_SUPPORTED', 'malformed'],
  ['ERR_JOSE_ALG_NOT_ALLOWED', 'algorithm'],
  ['ERR_JWKS_NO_MATCHING_KEY', 'unknown-key'],
  ['ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'unknown-key'],
  ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature'],
  ['ERR_JWT_EXPIRED', 'expired'],
  ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'claims'],
]);

/**
 * What a failed jose `jwtVerify` means for the caller: an InvalidTokenError (401) when the token is at fault,
 * an AuthUnavailableError (503) when the keys could not be fetched.
 */
export function verifyFailure(err: unknown): InvalidTokenError | AuthUnavailableError {
  const reason = REASONS.get((err as { code?: string }).code);
  return reason ? new InvalidTokenError(reason, (err as Error).message) : new AuthUnavailableError(err);
}

export function createTokenVerifier({
  jwksUrl,
  issuer = TokenClaims.issuer,
  audience = TokenClaims.audience,
  clockToleranceSeconds = 5,
}: TokenVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  return {
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ['EdDSA'],
          issuer,
          audience,
          clockTolerance: clockToleranceSeconds,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (err) {
        throw verifyFailure(err);
      }
      const { sub, email, name } = payload;
      if (typeof sub !== 'string' || typeof email !== 'string' || typeof name !== 'string') {
        throw new InvalidTokenError('claims', 'sub, email and name must be strings');
      }
      return { userId: sub, email, name };
    },
  };
}
