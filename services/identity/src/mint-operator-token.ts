/**
 * `node --import tsx src/mint-operator-token.ts`: prints an admin operator token signed with the key in
 * identity's database (DATABASE_URL, migrated), valid for OPERATOR_TOKEN_TTL_S. `npm start` runs it once
 * identity is ready and writes the token to `.cache/operator-token`; operators run it the same way.
 */
import { createPool } from '@shop/platform/db';
import { readConfig } from './config.ts';
import { mintOperatorToken } from './operator-tokens.ts';

const config = readConfig();
const pool = createPool(config.DATABASE_URL, 1);
try {
  process.stdout.write(`${await mintOperatorToken(pool, { ttlSeconds: config.OPERATOR_TOKEN_TTL_S })}\n`);
} finally {
  await pool.end();
}
