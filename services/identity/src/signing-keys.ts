import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { withTransaction, type Pool } from '@shop/platform/db';
import type { PublicJwk } from './schemas/jwks.ts';

/** The JWS algorithm of every access token (Ed25519 keys). */
export const ALG = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

// Serialises first starts of several instances on an empty database: exactly one key gets created.
const KEYGEN_LOCK = 0x6964_6b65_79; // "idkey"

/**
 * The key that signs new access tokens: the newest unretired one, created (and stored, so restarts and
 * other instances sign with it too) when there is none.
 */
export async function currentSigningKey(pool: Pool): Promise<SigningKey> {
  const row = await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [KEYGEN_LOCK]);
    const { rows } = await client.query<{ kid: string; private_jwk: JWK }>(
      'SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT 1',
    );
    if (rows[0]) return rows[0];
    const created = await newKeyPair();
    await client.query('INSERT INTO signing_keys (kid, public_jwk, private_jwk) VALUES ($1, $2, $3)', [
      created.kid, created.publicJwk, created.privateJwk,
    ]);
    return { kid: created.kid, private_jwk: created.privateJwk };
  });
  return { kid: row.kid, privateKey: (await importJWK(row.private_jwk, ALG)) as CryptoKey };
}

/**
 * Public keys for `/.well-known/jwks.json`: every unretired key, and retired ones for as long as a token
 * they signed can still be valid (`graceSeconds`, the access-token lifetime).
 */
export async function publicKeys(pool: Pool, graceSeconds: number): Promise<PublicJwk[]> {
  const { rows } = await pool.query<{ public_jwk: PublicJwk }>(
    `SELECT public_jwk FROM signing_keys
     WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
     ORDER BY created_at DESC, kid`,
    [graceSeconds],
  );
  return rows.map((r) => r.public_jwk);
}

async function newKeyPair() {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const { x } = await exportJWK(publicKey);
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: ALG, use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: ALG };
  return { kid, publicJwk, privateJwk };
}
