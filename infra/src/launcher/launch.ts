import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { partEnv, partUrl, parts, repoRoot, type Part } from '../parts.ts';
import { BALANCER_SOURCE_ADDRESS } from './balancer.ts';
import { needsBuild } from './build.ts';
import { buildServer, builtEntry, serverNeedsBuild } from './build-servers.ts';
import { startPart, waitUntilReady, type RunningPart } from './process.ts';

/** Builds each front end whose sources changed since its last build; `say` gets one line per build. */
export function buildStaleFrontends(say: (line: string) => void): void {
  for (const part of parts.filter((p) => p.built && needsBuild(path.join(repoRoot, p.dir)))) {
    say(`building ${part.name}…`);
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: path.join(repoRoot, part.dir), stdio: 'inherit' });
  }
}

/**
 * Bundles each part's server whose sources changed since its last build (or that has none), so parts
 * start as plain JavaScript; `say` gets one line for the lot. Throws on a build error.
 */
export async function buildStaleServers(say: (line: string) => void): Promise<void> {
  const stale = parts.filter((p) => serverNeedsBuild(p));
  if (stale.length === 0) return;
  say(`building the servers of ${stale.map((p) => p.name).join(', ')}…`);
  for (const part of stale) await buildServer(part);
}

export interface LaunchOptions {
  kafkaBrokers: string[];
  /** Each part's output goes to `<logDir>/<name>.log`, appended. */
  logDir: string;
  /** How long (ms) to wait for the part's `/ready` to answer 200. */
  readyTimeoutMs: number;
  /** Called as soon as the process exists, before it is ready, so a shutdown meanwhile can stop it too. */
  onStart?: (proc: RunningPart) => void;
  /** Variables for this part only, over `partEnv`'s (e.g. a fragment's `DIST_DIR`). */
  env?: Record<string, string>;
  /**
   * One of several instances behind the balancer (balancer.ts): it listens on `port`, logs to
   * `<name>-<index>.log`, trusts X-Forwarded-For from the balancer only (plus TRUST_PROXY's list, if set)
   * and (bff-web) shares its live hub with the other instances (LIVE_REDIS_ADAPTER).
   */
  instance?: { index: number; port: number };
}

/** Thrown when a part exits or stays unready: carries the process so callers can show its last lines. */
export class LaunchError extends Error {
  constructor(message: string, readonly part: RunningPart) {
    super(message);
  }
}

/**
 * Starts one part the way `npm start` does (its built server, see `buildStaleServers`; its environment
 * from `partEnv`) and resolves once its
 * `/ready` answers 200. Throws a LaunchError (the process is left as it is) if it exits or times out.
 */
export async function launchPart(part: Part, opts: LaunchOptions): Promise<RunningPart> {
  const { instance } = opts;
  const instanceEnv: Record<string, string> = instance
    ? {
        PORT: String(instance.port),
        INSTANCE_ID: `${part.name}-${instance.index}`,
        TRUST_PROXY: [BALANCER_SOURCE_ADDRESS, process.env.TRUST_PROXY].filter(Boolean).join(','),
        // bff-web's live hubs share rooms and missed events over Redis, and push each event once.
        LIVE_REDIS_ADAPTER: 'true',
      }
    : {};
  const proc = startPart({
    name: instance ? `${part.name}-${instance.index}` : part.name,
    cwd: path.join(repoRoot, part.dir),
    entry: builtEntry(part),
    env: { ...partEnv(part, opts.kafkaBrokers), ...instanceEnv, ...opts.env },
    logDir: opts.logDir,
  });
  opts.onStart?.(proc);
  try {
    const url = instance ? `http://127.0.0.1:${instance.port}` : partUrl(part);
    await waitUntilReady(`${url}/ready`, proc, opts.readyTimeoutMs);
  } catch (err) {
    throw new LaunchError((err as Error).message, proc);
  }
  return proc;
}
