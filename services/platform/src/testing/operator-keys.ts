import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { OperatorTokenClaims } from '@shop/contracts/api/identity';

export interface TestOperator {
  /** What a service's `operatorKeys` option takes instead of identity's JWKS. */
  keys: JWTVerifyGetKey;
  /** `Bearer <token>` of an admin operator token, for the Authorization header. */
  authorization: string;
  /** An operator token; the options make bad ones (another scope, audience, or an expired one). */
  token(options?: { scope?: string; audience?: string; issuedAt?: number; ttlSeconds?: number }): Promise<string>;
}

/**
 * A key pair of the tests' own standing in for identity's, for services whose tests build the app without
 * an identity service: it mints operator tokens (EdDSA, RFC 8037) the services' admin routes accept.
 */
export async function createTestOperator(): Promise<TestOperator> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519');
  const kid = randomUUID();
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  const token: TestOperator['token'] = ({ scope = OperatorTokenClaims.adminScope, audience = OperatorTokenClaims.audience, issuedAt, ttlSeconds = 3600 } = {}) => {
    const iat = issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ scope })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
      .setSubject('test-operator')
      .setIssuer(OperatorTokenClaims.issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(privateKey);
  };
  return { keys, token, authorization: `Bearer ${await token()}` };
}
