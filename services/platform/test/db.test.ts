import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createPool, dropDatabase, ensureDatabase, migrate, withTransaction, type Pool } from '../src/db.ts';
import { createTestDatabase } from '../src/testing/database.ts';
import { isUnavailable } from '../src/unavailable.ts';

const migrations = new URL('./fixtures/migrations', import.meta.url).pathname;

describe('withTransaction when the database cuts the connection', () => {
  let db: { url: string; drop(): Promise<void> };
  let pool: Pool;
  let admin: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('platform_db', migrations);
    pool = createPool(db.url, 2);
    admin = createPool(db.url, 1);
  });
  afterAll(async () => {
    await pool.end();
    await admin.end();
    await db.drop();
  });

  // What a failover or pg_terminate_backend does to a transaction waiting on something else (a card
  // provider, a broker): the server closes the connection while no query runs on it.
  it('fails the transaction as an outage instead of crashing the process, and the pool recovers', async () => {
    const failure = await withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the 'error' event arrives between queries
      await client.query('SELECT 1');
    }).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(Error);
    expect(isUnavailable(failure)).toBe(true);
    // The cut connection was discarded: the next transaction runs on a sound one.
    await expect(withTransaction(pool, async (client) => (await client.query('SELECT 1 AS one')).rows[0])).resolves.toEqual({ one: 1 });
  });
});

describe('migrate', () => {
  it('lets instances of a service that start together all migrate: the ones that lose the lock wait for the winner', async () => {
    const url = `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/test_platform_migrate_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(url);
    try {
      await Promise.all([migrate(url, migrations), migrate(url, migrations), migrate(url, migrations)]);
      const check = createPool(url, 1);
      const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM widgets');
      await check.end();
      expect(rows[0]?.n).toBe(0);
    } finally {
      await dropDatabase(url);
    }
  });
});
