import { Type, type Static } from 'typebox';

/** An Ed25519 public key as a JWK (RFC 8037). */
export const PublicJwk = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
});
export type PublicJwk = Static<typeof PublicJwk>;

/** RFC 7517 key set. */
export const Jwks = Type.Object({ keys: Type.Array(PublicJwk) });
