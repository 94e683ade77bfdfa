import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, migrate } from '../db.ts';

const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** A fresh, migrated database of its own for one test file, so runs never collide; drop it when done. */
export async function createTestDatabase(service: string, migrations: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = `${SERVER}/test_${service}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(url);
  await migrate(url, migrations);
  return { url, drop: () => dropDatabase(url) };
}
