import { Type, type Static } from 'typebox';
import { CartId } from '@shop/contracts/api/cart';
import { User } from '@shop/contracts/api/identity';

/** A session id: 32 random bytes, base64url. Anything else in the cookie is not looked up. */
export const SID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const SessionTokens = Type.Object({ accessToken: Type.String(), refreshToken: Type.String() });

/** What bff-web keeps in Redis per session. Tokens never leave the server. */
export const SessionData = Type.Object({
  cartId: CartId,
  csrfToken: Type.String({ minLength: 32 }),
  user: Type.Union([Type.Object({ id: User.properties.id, email: Type.String(), name: Type.String() }), Type.Null()]),
  tokens: Type.Union([SessionTokens, Type.Null()]),
  /** A guest cart still to merge into the user's (the cart service was down at sign-in). */
  pendingMerge: Type.Optional(CartId),
  /** A guest whose cart holds something: kept for SESSION_TTL_S rather than the short GUEST_SESSION_TTL_S of an empty one. */
  cartFilled: Type.Optional(Type.Boolean()),
});
export type SessionData = Static<typeof SessionData>;
export type SessionUser = NonNullable<SessionData['user']>;
export type SessionTokens = Static<typeof SessionTokens>;
