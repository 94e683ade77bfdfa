import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorKeysFrom, verifyOperatorToken } from '@shop/platform/operator-auth';
import { createTestDatabase } from '@shop/platform/testing/database';
import { mintOperatorToken, readOperatorToken, writeOperatorToken } from '../src/operator-token.ts';
import { parts, repoRoot } from '../src/parts.ts';

// What `npm start` does once identity is ready: identity's own CLI mints the token with the key in its
// database (a test database here, through IDENTITY_DATABASE_URL as the launcher reads it), written 0600.
const identity = parts.find((p) => p.name === 'identity')!;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const dir = mkdtempSync(path.join(tmpdir(), 'operator-token-'));
const saved = process.env.IDENTITY_DATABASE_URL;

beforeAll(async () => {
  db = await createTestDatabase('infra_identity', path.join(repoRoot, identity.dir, 'migrations'));
  process.env.IDENTITY_DATABASE_URL = db.url;
}, 60_000);
afterAll(async () => {
  if (saved === undefined) delete process.env.IDENTITY_DATABASE_URL;
  else process.env.IDENTITY_DATABASE_URL = saved;
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the operator token npm start writes', () => {
  it("is signed by identity's key, for operators, with the 'admin' scope, and only its owner can read the file", async () => {
    const file = path.join(dir, 'operator-token');
    writeOperatorToken(mintOperatorToken(['127.0.0.1:9092']), file);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ public_jwk: object }>('SELECT public_jwk FROM signing_keys');
    await client.end();
    const keys = operatorKeysFrom({ keys: rows.map((r) => r.public_jwk) } as Parameters<typeof operatorKeysFrom>[0]);
    expect(await verifyOperatorToken(readOperatorToken(file), keys)).toEqual({ subject: 'operator', scopes: ['admin'] });
    expect(readFileSync(file, 'utf8')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  }, 60_000);

  it('says where the token should be when there is none', () => {
    expect(() => readOperatorToken(path.join(dir, 'missing'))).toThrow(/npm start/);
  });
});
