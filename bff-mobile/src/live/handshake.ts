import type { FastifyBaseLogger } from 'fastify';
import { decodeJwt } from 'jose';
import { Compile } from 'typebox/compile';
import { AuthUnavailableError, InvalidTokenError, type TokenVerifier } from '@shop/platform/auth';
import { explain } from '@shop/platform/explain';
import type { ProblemCode } from '../errors.ts';
import { LiveHandshake } from '../schemas/live.ts';
import type { Problem } from '../schemas/problem.ts';
import type { MobileSocket } from './socket-types.ts';

const isHandshake = Compile(LiveHandshake);

export interface HandshakeOptions {
  verifier: TokenVerifier;
  logger: FastifyBaseLogger;
  problem(code: ProblemCode, detail: string): Problem;
}

/**
 * The `/m` middleware: admits a socket whose handshake `auth` carries a valid access token (and well-formed
 * positions), leaving its user, positions and token expiry in `socket.data`. Refuses with a problem
 * (RFC 9457) as the connect error's `data`: 401 for a missing or bad token, 400 for bad positions,
 * 503 when tokens cannot be checked right now.
 */
export function liveHandshake({ verifier, logger, problem }: HandshakeOptions) {
  const refuse = (code: ProblemCode, detail: string) => Object.assign(new Error(detail), { data: problem(code, detail) });
  return async (socket: MobileSocket, next: (err?: Error) => void): Promise<void> => {
    const auth: unknown = socket.handshake.auth;
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) {
      return next(refuse('MOBILE_UNAUTHORIZED', 'Connect with auth: {token: <accessToken>}'));
    }
    if (!isHandshake.Check(auth)) return next(refuse('MOBILE_VALIDATION_FAILED', `Handshake auth is invalid: ${explain(isHandshake, auth)}`));
    try {
      const user = await verifier.verify(token);
      const { exp } = decodeJwt(token);
      socket.data = { userId: user.userId, since: auth.since, expiresAt: exp };
      next();
    } catch (err) {
      if (err instanceof InvalidTokenError) return next(refuse('MOBILE_UNAUTHORIZED', 'The access token is not valid'));
      if (err instanceof AuthUnavailableError) return next(refuse('MOBILE_SERVICE_UNAVAILABLE', 'Sign-in is unavailable right now'));
      logger.error({ err }, 'live handshake failed');
      return next(refuse('MOBILE_INTERNAL', 'Something went wrong on our side'));
    }
  };
}
