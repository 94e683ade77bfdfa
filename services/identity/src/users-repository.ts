import type { User } from '@shop/contracts/api/identity';
import type { DbClient, Pool } from '@shop/platform/db';

type Queryable = Pool | DbClient;

/** Adds a user; undefined when the email (compared without case) is taken. */
export async function insertUser(
  db: Queryable,
  user: User & { passwordHash: string },
): Promise<User | undefined> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING id, email, name`,
    [user.id, user.email, user.name, user.passwordHash],
  );
  return rows[0];
}

/** The user with this email (any case) and their password hash, for a sign-in. */
export async function findCredentials(db: Queryable, email: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const { rows } = await db.query<User & { password_hash: string }>(
    'SELECT id, email, name, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  const row = rows[0];
  return row && { user: { id: row.id, email: row.email, name: row.name }, passwordHash: row.password_hash };
}

export async function findUser(db: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await db.query<User>('SELECT id, email, name FROM users WHERE id = $1', [id]);
  return rows[0];
}
