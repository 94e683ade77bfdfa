import { startOwned } from '../process/owned-process.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot } from '../parts.ts';

/**
 * The project's own Redis for carts and sessions (ARCHITECTURE.md: port 6380, append-only): the machine's
 * `redis-server` binary with `appendonly yes` and `appendfsync always`, so every acknowledged write is on disk
 * before the client hears OK and a cart survives a restart, even a SIGKILL. Its data lives in the git-ignored
 * cache (`.cache/redis-<port>`). `npm start` runs it as Kafka is run; `REDIS_URL` points everything elsewhere.
 */

export interface RedisHandle {
  url: string;
  /** True when this call started the server; only then does stop() do anything. */
  started: boolean;
  /** The server's process id when this call started it. */
  pid?: number;
  /** Where it keeps its append-only file, when this call started it. */
  dataDir?: string;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  port: number;
  /** Folder of its append-only files (created when missing). */
  dataDir: string;
  log?: (line: string) => void;
  /** How long to wait for it to answer PING (ms, default 20 000). */
  startTimeoutMs?: number;
}

/** The port of the project's Redis: `REDIS_PORT`, default 6380. */
export const projectRedisPort = (): number => {
  const raw = process.env.REDIS_PORT;
  const port = raw ? Number(raw) : 6380;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`REDIS_PORT must be a TCP port, got "${raw}"`);
  return port;
};

/** Its data folder: `REDIS_DATA_DIR`, default `.cache/redis-<port>`. */
export const projectRedisDataDir = (port: number): string => process.env.REDIS_DATA_DIR ?? path.join(repoRoot, '.cache', `redis-${port}`);

const STOP_GRACE_MS = 10_000;

/**
 * Makes sure the carts' and sessions' Redis answers. `REDIS_URL` names another one (used as it is);
 * otherwise a server already on `REDIS_PORT` is reused; otherwise one is started as a child of this process.
 * Throws when none answers.
 */
export async function ensureProjectRedis({ log }: { log: (line: string) => void }): Promise<RedisHandle> {
  const external = process.env.REDIS_URL;
  if (external) {
    if (!(await answers(external))) throw new Error(`redis: REDIS_URL=${external} does not answer`);
    log(`redis: using REDIS_URL=${external}`);
    return { url: external, started: false, stop: async () => {} };
  }
  const port = projectRedisPort();
  const url = `redis://127.0.0.1:${port}`;
  if (await answers(url)) {
    log(`redis: reusing the server already on 127.0.0.1:${port}`);
    return { url, started: false, stop: async () => {} };
  }
  return startRedisServer({ port, dataDir: projectRedisDataDir(port), log });
}

/**
 * Starts `redis-server` on 127.0.0.1:`port`, append-only with fsync on every write, its files in `dataDir`,
 * and resolves once it answers PING. On Linux the kernel signals it if this process dies (pdeathsig).
 * Throws when it exits first or stays silent past the budget.
 */
export async function startRedisServer({ port, dataDir, log = () => {}, startTimeoutMs = 20_000 }: RedisServerOptions): Promise<RedisHandle> {
  mkdirSync(dataDir, { recursive: true });
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes',
    '--dir', dataDir,
    '--appendonly', 'yes', '--appendfsync', 'always',
    // The append-only file is the persistence; no RDB snapshots besides it.
    '--save', '',
    '--daemonize', 'no', '--logfile', '',
  ];
  log(`redis: starting redis-server on 127.0.0.1:${port} (append-only, fsync always; data in ${path.relative(process.cwd(), dataDir) || dataDir})`);
  const server = startOwned('redis-server', args, 'pipe');
  const tail: string[] = [];
  for (const stream of [server.child.stdout!, server.child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 20));
    });
  }
  const url = `redis://127.0.0.1:${port}`;
  // redis fsyncs and closes its append-only file on SIGTERM.
  const stop = () => server.stop(STOP_GRACE_MS);
  const outcome = await server.waitUntil(() => answers(url), startTimeoutMs, 100);
  if (outcome === 'up') return { url, started: true, pid: server.child.pid, dataDir, stop };
  await stop();
  throw new Error(`redis: redis-server on 127.0.0.1:${port} ${outcome === 'timeout' ? `did not answer within ${startTimeoutMs / 1000} s` : `exited (${outcome})`}\n${tail.join('\n')}`);
}

/** True when a Redis answers PING at `url` within a second. */
export async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

