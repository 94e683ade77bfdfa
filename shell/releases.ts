import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { startCanaryWatch } from '@shop/frontend-server/canary-health';
import { newReleaseCookie, releaseIdFrom, resolveRemotes, watchReleaseManifest } from '@shop/frontend-server/release-routing';
import type { Releases } from '@shop/frontend-server/serve';
import { RemotesConfigError, type RemotesFile } from './src/features/fragments/utils/parse-remotes.ts';

type Env = Record<string, string | undefined>;

/** How the shell's server follows fragment releases (see README, "Releasing a fragment"). */
export interface ReleasesConfig {
  /** The release manifest `npm run release` writes; absent, every browser gets the remotes as configured. */
  manifestPath: string;
  /** How often (ms) canaries are checked against bff-web's fragment reports; 0 turns automatic rollback off. */
  checkIntervalMs: number;
  /** Sessions a canary needs before it is judged. */
  minSessions: number;
  /** How far (absolute, 0.05 = 5 points) a canary's failure rate may exceed stable's before it is dropped. */
  errorMargin: number;
}

function numberFromEnv(env: Env, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!check(value)) throw new RemotesConfigError(`${name} must be ${what}, got "${raw}"`);
  return value;
}

/**
 * `RELEASE_MANIFEST` (default `.cache/releases/manifest.json` at the repository's root, `defaultManifest`),
 * `RELEASE_CHECK_INTERVAL_MS` (5000), `RELEASE_MIN_SESSIONS` (10), `RELEASE_ERROR_MARGIN` (0.05).
 * Throws RemotesConfigError naming a bad variable.
 */
export function releasesConfigFromEnv(env: Env, defaultManifest: URL): ReleasesConfig {
  if (env.RELEASE_MANIFEST === '') throw new RemotesConfigError('RELEASE_MANIFEST must be a file path, got ""');
  return {
    manifestPath: env.RELEASE_MANIFEST ?? fileURLToPath(defaultManifest),
    checkIntervalMs: numberFromEnv(env, 'RELEASE_CHECK_INTERVAL_MS', 5000, (n) => Number.isInteger(n) && n >= 0, 'a whole number of milliseconds'),
    minSessions: numberFromEnv(env, 'RELEASE_MIN_SESSIONS', 10, (n) => Number.isInteger(n) && n >= 1, 'a whole number of sessions, at least 1'),
    errorMargin: numberFromEnv(env, 'RELEASE_ERROR_MARGIN', 0.05, (n) => n >= 0 && n < 1, 'a fraction from 0 to below 1 (0.05 = 5 points)'),
  };
}

/**
 * The shell server's releases: `remotesFor` answers each browser's remotes from the release manifest
 * (giving a browser without one its release cookie), and `start` runs the canary watch that drops a
 * canary failing more often than stable.
 */
export function createReleases(options: ReleasesConfig & { remotes: RemotesFile; bffWebUrl: string }): Releases {
  let log: FastifyBaseLogger | undefined;
  const manifest = watchReleaseManifest(options.manifestPath, (error) =>
    log?.error({ err: error }, 'the release manifest cannot be read: keeping the last good one'),
  );
  return {
    async remotesFor(request: FastifyRequest, reply: FastifyReply) {
      const current = await manifest.current();
      // No manifest: exactly what the server was configured with, and no cookie.
      if (!current) return options.remotes;
      let id = releaseIdFrom(request.headers.cookie);
      if (!id) {
        const cookie = newReleaseCookie(request.protocol === 'https');
        id = cookie.id;
        reply.header('set-cookie', cookie.setCookie);
      }
      return { remotes: resolveRemotes(options.remotes.remotes, current, id) };
    },
    start(logger) {
      log = logger;
      if (options.checkIntervalMs === 0) return () => {};
      return startCanaryWatch({ ...options, manifestPath: options.manifestPath, intervalMs: options.checkIntervalMs, log: logger });
    },
  };
}
