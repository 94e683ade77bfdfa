import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

export type Pool = pg.Pool;
export type DbClient = pg.PoolClient;

/** The outbox and processed-event tables every service shares the shape of. */
export const platformMigrations = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * A pool for one service database. An idle connection the server drops (a restart, a forced
 * DROP DATABASE in tests) is discarded and replaced on the next query; without a listener its
 * error would crash the process, so it is logged instead.
 */
export function createPool(connectionString: string, max = 10, logger?: Pick<Logger, 'warn'>): Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  pool.on('error', (err) => logger?.warn({ err }, 'an idle database connection failed; it was discarded'));
  return pool;
}

/**
 * Runs `work` in one transaction: all of it commits, or none of it does. Resolves with what `work`
 * returns; rejects with its error, or with the server's own error (e.g. 57P01) when the connection was
 * cut mid-transaction, which `isUnavailable` classes as an outage.
 */
export async function withTransaction<T>(pool: Pool, work: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out connection that the server cuts (failover, pg_terminate_backend) emits 'error' between
  // queries; unheard, that would crash the process. Keep it, fail the transaction with it, and discard
  // the connection rather than return it to the pool.
  let lost: Error | undefined;
  const onLost = (err: Error) => { lost = err; };
  client.on('error', onLost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (!lost) await client.query('ROLLBACK').catch(() => undefined);
    throw lost ?? err;
  } finally {
    client.removeListener('error', onLost);
    client.release(lost);
  }
}

/** Creates the database named in `url` if it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withAdminClient(url, async (admin) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // created concurrently by another process
    });
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await withAdminClient(url, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName(url))} WITH (FORCE)`),
  );
}

/**
 * Applies the platform's and the service's migrations, in file-name order, under an advisory lock. Waits up
 * to 60 s for another process's migration of the same database (instances starting together); throws after.
 */
export async function migrate(url: string, serviceMigrations: string, logger?: Logger): Promise<void> {
  // Instances of a service that start together race for node-pg-migrate's lock: the losers wait for the
  // winner (who holds it while migrating) and then find nothing left to do.
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      await runner({
        databaseUrl: url,
        dir: [platformMigrations, serviceMigrations].map((dir) => `${dir}/*.sql`),
        useGlob: true,
        direction: 'up',
        migrationsTable: 'pgmigrations',
        checkOrder: false,
        log: (msg) => logger?.debug(msg),
      });
      return;
    } catch (err) {
      if (!/Another migration is already running/.test((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** How long (ms) `migrate` waits for another process's migration to finish before it gives up. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
