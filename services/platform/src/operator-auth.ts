import fp from 'fastify-plugin';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { OperatorTokenClaims } from '@shop/contracts/api/identity';
import { AuthUnavailableError, InvalidTokenError, verifyFailure } from './auth.ts';
import { HttpError } from './errors.ts';

/**
 * Guards the services' admin APIs (`PUT /stock/{sku}`, `PUT /products/{sku}/price`): the caller sends an
 * operator token signed by identity (`Authorization: Bearer <token>`, RFC 6750) for the operations audience,
 * whose `scope` claim includes `admin`. Verified against identity's JWKS, as the BFFs verify access tokens.
 *
 *   await app.register(operatorAuthPlugin, { jwksUrl: `${config.IDENTITY_URL}/.well-known/jwks.json` });
 *   app.put('/stock/:sku', { onRequest: app.requireScope('admin'), schema }, handler);
 *
 * No or a bad token answers 401 with `WWW-Authenticate: Bearer`; a good token without the scope answers 403
 * (`error="insufficient_scope"`); identity's keys out of reach answer 503.
 */

/** Where identity listens, for its JWKS; every service with admin routes reads it. */
export const OperatorAuthConfig = {
  IDENTITY_URL: Type.String({ default: 'http://127.0.0.1:7106' }),
};

export interface OperatorAuthOptions {
  /** Identity's `/.well-known/jwks.json`. */
  jwksUrl?: string | URL;
  /** Keys to verify with instead of fetching a JWKS (tests: `createLocalJWKSet`). One of the two is required. */
  keys?: JWTVerifyGetKey;
}

export interface Operator {
  /** Who the token was minted for (`sub`). */
  subject: string;
  scopes: string[];
}

/** No token, or one identity did not sign for operators: answer 401. */
export class OperatorUnauthenticatedError extends HttpError {
  constructor(message: string) {
    super(401, 'AUTH_OPERATOR_TOKEN_REQUIRED', message);
  }
}

/** A valid operator token without the scope the route needs: answer 403. */
export class OperatorForbiddenError extends HttpError {
  constructor(scope: string) {
    super(403, 'AUTH_SCOPE_MISSING', `This admin API needs an operator token with the '${scope}' scope`);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook that admits only requests bearing an operator token with `scope`. */
    requireScope(scope: string): (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    operator?: Operator;
  }
}

/**
 * Verifies one operator token. Returns the subject and scopes; throws OperatorUnauthenticatedError (401)
 * for a token that is not a current operator token, AuthUnavailableError (503) when the keys cannot be fetched.
 */
export async function verifyOperatorToken(token: string, keys: JWTVerifyGetKey): Promise<Operator> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['EdDSA'],
      issuer: OperatorTokenClaims.issuer,
      audience: OperatorTokenClaims.audience,
      clockTolerance: 5,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    const failure = verifyFailure(err);
    if (failure instanceof InvalidTokenError) throw new OperatorUnauthenticatedError(`Operator token refused (${failure.reason}): ${(err as Error).message}`);
    throw failure;
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return { subject: payload.sub!, scopes };
}

/** Keys to verify operator tokens with from a JWKS document in hand (RFC 7517), e.g. read from identity's database. */
export const operatorKeysFrom = (jwks: JSONWebKeySet): JWTVerifyGetKey => createLocalJWKSet(jwks);

const BEARER = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/;

export const operatorAuthPlugin = fp<OperatorAuthOptions>(
  async (app, { jwksUrl, keys }) => {
    if (!keys && !jwksUrl) throw new Error('operatorAuthPlugin needs jwksUrl or keys');
    const getKey = keys ?? createRemoteJWKSet(new URL(jwksUrl!));
    app.decorate('requireScope', (scope: string) => async (req: FastifyRequest, reply: FastifyReply) => {
      const match = BEARER.exec(req.headers.authorization ?? '');
      try {
        if (!match) throw new OperatorUnauthenticatedError('This admin API needs an operator token: send Authorization: Bearer <token> (npm start writes one to .cache/operator-token)');
        const operator = await verifyOperatorToken(match[1]!, getKey);
        if (!operator.scopes.includes(scope)) throw new OperatorForbiddenError(scope);
        req.operator = operator;
      } catch (err) {
        if (err instanceof OperatorUnauthenticatedError) reply.header('www-authenticate', 'Bearer realm="storefront-operations"');
        if (err instanceof OperatorForbiddenError) reply.header('www-authenticate', `Bearer realm="storefront-operations", error="insufficient_scope", scope="${scope}"`);
        throw err;
      }
    });
  },
  { name: 'operator-auth' },
);

export { AuthUnavailableError };
