import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { partEnv, parts, repoRoot } from './parts.ts';

/**
 * The operator token for the services' admin APIs (`Authorization: Bearer <token>`, ARCHITECTURE.md
 * "Admin APIs"). `npm start` mints one with identity's signing key once identity is ready and writes it
 * here (git-ignored, readable by this user only); tests, chaos and benchmarks read it.
 */
export const operatorTokenFile = process.env.OPERATOR_TOKEN_FILE ?? path.join(repoRoot, '.cache', 'operator-token');

/**
 * Mints an admin operator token with the identity part's own CLI (`mint-operator-token.ts`) over the
 * database identity runs on (its environment from `partEnv`). Returns the compact JWS; throws when the
 * CLI fails (identity's database not migrated yet, PostgreSQL down).
 */
export function mintOperatorToken(kafkaBrokers: string[]): string {
  const identity = parts.find((p) => p.name === 'identity')!;
  return execFileSync(process.execPath, ['--import', 'tsx', 'src/mint-operator-token.ts'], {
    cwd: path.join(repoRoot, identity.dir),
    env: { ...process.env, ...partEnv(identity, kafkaBrokers), LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** Writes `token` to `file` (default `operatorTokenFile`), mode 0600. */
export function writeOperatorToken(token: string, file = operatorTokenFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
}

/** The token `npm start` wrote; throws naming the file when there is none. */
export function readOperatorToken(file = operatorTokenFile): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no operator token at ${file}: start the storefront with \`npm start\`, which writes one`);
  }
}
