import { Type, type Static } from 'typebox';

/** DTOs of the identity service's HTTP API (port 7106). Public keys: `GET /.well-known/jwks.json`. */

/** Access tokens are EdDSA-signed JWTs with these registered claims; `sub` is the user id. */
export const TokenClaims = { issuer: 'storefront-identity', audience: 'storefront' } as const;

/**
 * Operator tokens for the services' admin APIs: signed by identity like access tokens, but for their own
 * audience (a shopper's access token is never one), carrying OAuth 2.0 scopes as a space-separated
 * `scope` claim (RFC 8693 §4.2); admin routes require `admin`.
 */
export const OperatorTokenClaims = { issuer: TokenClaims.issuer, audience: 'storefront-operations', adminScope: 'admin' } as const;

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 8, maxLength: 200 });

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const PasswordGrantBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) });
export type PasswordGrantBody = Static<typeof PasswordGrantBody>;

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 16, maxLength: 512 }) });
export type RefreshBody = Static<typeof RefreshBody>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
});
export type TokenPair = Static<typeof TokenPair>;

export const User = Type.Object({ id: Type.String({ format: 'uuid' }), email: Type.String(), name: Type.String() });
export type User = Static<typeof User>;

/** `POST /users` answers 201 with the user and a first token pair. */
export const Registered = Type.Object({ user: User, tokens: TokenPair });
export type Registered = Static<typeof Registered>;
