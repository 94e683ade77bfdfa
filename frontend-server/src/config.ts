import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface FrontendConfig {
  port: number;
  host: string;
  bffWebUrl: string;
  logLevel: string;
  distDir: string;
  /** A fragment's released builds (RELEASES_DIR), when it has any: see `FederationRole`. */
  releasesDir?: string;
  /**
   * SESSION_BUDGET_MS (300): how long (ms) a host's page waits for bff-web's session to inline it
   * (see inline-session.ts); 0 turns it off. Unused by a remote.
   */
  sessionBudgetMs: number;
}

export interface ConfigDefaults {
  /** The app's own port (3000 shell, 3001 mfe-catalog, 3002 mfe-cart). */
  port: number;
  /** The app's own build, `new URL('./dist', import.meta.url)`. */
  distDir: URL;
  /** A fragment's released builds, `.cache/releases/<fragment>` at the repository's root. */
  releasesDir?: URL;
}

/**
 * Reads and checks the environment every front-end server shares; a bad variable throws an error
 * naming it, so the process stops before it serves anything.
 */
export function loadFrontendConfig(env: Env, defaults: ConfigDefaults): FrontendConfig {
  const port = Number(env.PORT ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const bffWebUrl = env.BFF_WEB_URL ?? 'http://localhost:4000';
  if (!URL.canParse(bffWebUrl)) throw new Error(`BFF_WEB_URL must be a URL, got "${bffWebUrl}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  if (env.DIST_DIR === '') throw new Error('DIST_DIR must be a folder, got ""');
  if (env.RELEASES_DIR === '') throw new Error('RELEASES_DIR must be a folder, got ""');
  const sessionBudgetMs = Number(env.SESSION_BUDGET_MS || 300);
  if (!Number.isInteger(sessionBudgetMs) || sessionBudgetMs < 0) {
    throw new Error(`SESSION_BUDGET_MS must be a whole number of milliseconds, got "${env.SESSION_BUDGET_MS}"`);
  }
  const releasesDir = env.RELEASES_DIR === undefined ? defaults.releasesDir && fileURLToPath(defaults.releasesDir) : resolve(env.RELEASES_DIR);
  return {
    port,
    host: env.HOST ?? 'localhost',
    bffWebUrl,
    logLevel,
    // DIST_DIR serves another build from the same server, e.g. a candidate release. Resolved here
    // because @fastify/static only takes an absolute root.
    distDir: env.DIST_DIR === undefined ? fileURLToPath(defaults.distDir) : resolve(env.DIST_DIR),
    ...(releasesDir ? { releasesDir } : {}),
    sessionBudgetMs,
  };
}
