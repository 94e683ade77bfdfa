import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { User } from '@shop/contracts/api/identity';
import { withTransaction, type DbClient, type Pool } from '@shop/platform/db';

/**
 * Refresh tokens are 32 random bytes (base64url) handed to the client once; the database keeps only
 * their SHA-256, so a copy of the table cannot be replayed. The tokens of one sign-in form a family:
 * a refresh spends its token and issues the next one in the family, and a spent token coming back
 * means someone else holds a copy, so the whole family is revoked (RFC 9700 §4.14.2).
 */

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

const newToken = async (client: DbClient, familyId: string, ttlSeconds: number) => {
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  await client.query(
    `INSERT INTO refresh_tokens (id, token_hash, family_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [id, hashOf(token), familyId, ttlSeconds],
  );
  return { id, token };
};

/** Starts a family for a fresh sign-in and returns its first token. */
export async function startRefreshFamily(client: DbClient, userId: string, ttlSeconds: number): Promise<string> {
  const familyId = randomUUID();
  await client.query('INSERT INTO refresh_families (id, user_id) VALUES ($1, $2)', [familyId, userId]);
  return (await newToken(client, familyId, ttlSeconds)).token;
}

export type Rotation =
  | { outcome: 'rotated'; user: User; refreshToken: string }
  | { outcome: 'reused'; userId: string; familyId: string }
  | { outcome: 'invalid' };

/**
 * Exchanges a refresh token for the next one in its family, in one transaction under a lock on the
 * family. Concurrent refreshes of one token queue on that lock: the first rotates it, the others then
 * find it spent, which is reuse. Anything but `rotated` is a 401 for the caller; a reuse has already
 * revoked the family, and that revocation commits.
 */
export function rotateRefreshToken(pool: Pool, token: string, ttlSeconds: number): Promise<Rotation> {
  return withTransaction(pool, async (client) => {
    const hash = hashOf(token);
    const family = await lockFamilyOf(client, hash);
    if (!family) return { outcome: 'invalid' };
    // Read after taking the lock, so a rotation that committed meanwhile is seen.
    const { rows } = await client.query<{ id: string; spent: boolean; expired: boolean }>(
      `SELECT id, replaced_by IS NOT NULL AS spent, expires_at <= now() AS expired FROM refresh_tokens WHERE token_hash = $1`,
      [hash],
    );
    const current = rows[0]!;
    if (current.spent) {
      await revokeFamily(client, family.id, 'reused');
      return { outcome: 'reused', userId: family.user.id, familyId: family.id };
    }
    if (family.revoked || current.expired) return { outcome: 'invalid' };

    const next = await newToken(client, family.id, ttlSeconds);
    await client.query('UPDATE refresh_tokens SET replaced_by = $2 WHERE id = $1', [current.id, next.id]);
    return { outcome: 'rotated', user: family.user, refreshToken: next.token };
  });
}

/** Signs out: revokes the family of `token`, so neither it nor any token of that sign-in works again. Unknown tokens are ignored. */
export function revokeFamilyOf(pool: Pool, token: string): Promise<void> {
  return withTransaction(pool, async (client) => {
    const family = await lockFamilyOf(client, hashOf(token));
    if (family) await revokeFamily(client, family.id, 'signed-out');
  });
}

async function lockFamilyOf(client: DbClient, hash: Buffer) {
  const { rows } = await client.query<{ id: string; revoked: boolean; user_id: string; email: string; name: string }>(
    `SELECT f.id, f.revoked_at IS NOT NULL AS revoked, u.id AS user_id, u.email, u.name
     FROM refresh_families f JOIN users u ON u.id = f.user_id
     WHERE f.id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
     FOR UPDATE OF f`,
    [hash],
  );
  const row = rows[0];
  return row && { id: row.id, revoked: row.revoked, user: { id: row.user_id, email: row.email, name: row.name } };
}

async function revokeFamily(client: DbClient, familyId: string, reason: 'reused' | 'signed-out'): Promise<void> {
  await client.query(
    'UPDATE refresh_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [familyId, reason],
  );
}
