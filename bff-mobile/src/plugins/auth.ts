import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, InvalidTokenError, type TokenVerifier, type VerifiedUser } from '@shop/platform/auth';
import { serviceUnavailable, unauthorized } from '../errors.ts';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i;

/** The bearer token of an `Authorization` header, or null when there is none of that form. */
export function bearerToken(header: string | undefined): string | null {
  return header ? (BEARER.exec(header.trim())?.[1] ?? null) : null;
}

/** Checks an access token: the user it names, or a MobileError (401, or 503 when the keys cannot be fetched). */
export async function verifyAccessToken(verifier: TokenVerifier, token: string | null): Promise<VerifiedUser> {
  if (!token) throw unauthorized('Send `Authorization: Bearer <accessToken>`; get a token from /m/v1/auth/token');
  try {
    return await verifier.verify(token);
  } catch (err) {
    if (err instanceof InvalidTokenError) {
      throw unauthorized(err.reason === 'expired' ? 'The access token has expired; refresh it with /m/v1/auth/refresh' : 'The access token is not valid');
    }
    if (err instanceof AuthUnavailableError) throw serviceUnavailable('Sign-in');
    throw err;
  }
}

/**
 * `app.bearerAuth`: an onRequest hook for the routes that need a signed-in user; it sets `req.shopper`.
 * Runs before the body is read, so a request without a valid token costs no parsing.
 */
export const authPlugin = fp<{ verifier: TokenVerifier }>(
  async (app, { verifier }) => {
    app.decorate('accessTokens', verifier);
    app.decorateRequest('shopper', null);
    app.decorate('bearerAuth', async (req: FastifyRequest) => {
      req.shopper = await verifyAccessToken(verifier, bearerToken(req.headers.authorization));
    });
  },
  { name: 'mobile-auth' },
);

declare module 'fastify' {
  interface FastifyInstance {
    accessTokens: TokenVerifier;
    bearerAuth(req: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    /** The signed-in user, set by `app.bearerAuth` on the routes that need one. */
    shopper: VerifiedUser | null;
  }
}
