import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOwned } from '../process/owned-process.ts';
import { run } from '../kafka/exec.ts';

/** Zipkin's server release taken from Maven Central (`io.zipkin:zipkin-server`, the `exec` jar); override with ZIPKIN_VERSION. */
export const ZIPKIN_VERSION = process.env.ZIPKIN_VERSION ?? '3.5.1';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
/** Git-ignored cache at the repository root, beside Kafka's. */
export const ZIPKIN_CACHE_DIR = fileURLToPath(new URL('../../../.cache/zipkin/', import.meta.url));

/** A JVM on a busy two-core machine can take minutes; on an idle one Zipkin answers within seconds. */
const START_TIMEOUT_MS = Number(process.env.ZIPKIN_START_TIMEOUT_MS ?? 300_000);
const STOP_GRACE_MS = 10_000;
// In-memory storage: a bounded heap and span count keep a long-running `npm start` small; the C1 compiler
// and the serial collector start faster and take less CPU from the parts on a small machine.
const JVM_OPTIONS = ['-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const MAX_SPANS = process.env.ZIPKIN_MAX_SPANS ?? '200000';

export interface ZipkinHandle {
  /** Where the UI and API answer (http://localhost:9411), or undefined when no Zipkin is wanted. */
  url?: string;
  /** True when this call started the server; only then does stop() do anything. */
  started: boolean;
  pid?: number;
  stop(): Promise<void>;
}

/** Where the parts send spans, given the Zipkin URL (its v2 span intake). */
export const zipkinSpansEndpoint = (url: string) => `${url}/api/v2/spans`;

/** The Zipkin port: `ZIPKIN_PORT`, default 9411. Throws naming the variable when it is not a port. */
export function zipkinPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ZIPKIN_PORT;
  if (raw === undefined || raw === '') return 9411;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`ZIPKIN_PORT must be a TCP port, got "${raw}"`);
  return port;
}

/**
 * Whether this run needs a Zipkin of its own: not with `TRACING=off`, nor when spans go to an OTLP
 * collector (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or to another Zipkin
 * (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`).
 */
export function wantsZipkin(env: NodeJS.ProcessEnv = process.env): boolean {
  if (['off', 'false', '0'].includes((env.TRACING ?? '').toLowerCase())) return false;
  return !(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_ZIPKIN_ENDPOINT);
}

/**
 * Returns the exec jar's path, fetching it with Maven on first use into `.cache/zipkin/` (the file only
 * appears once complete, so a broken download is fetched again).
 */
export async function ensureZipkinJar(log: (line: string) => void, version = ZIPKIN_VERSION): Promise<string> {
  const jar = join(ZIPKIN_CACHE_DIR, `zipkin-server-${version}-exec.jar`);
  if (existsSync(jar)) return jar;
  log(`zipkin: fetching io.zipkin:zipkin-server:${version} (exec jar, ~130 MB) from Maven Central (first run only)…`);
  const started = Date.now();
  const partial = join(ZIPKIN_CACHE_DIR, 'partial');
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await run('fetching the Zipkin server with Maven', 'mvn', [
    '-q', '-B', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=io.zipkin:zipkin-server:${version}:jar:exec`,
    `-DoutputDirectory=${partial}`,
  ]);
  await rename(join(partial, `zipkin-server-${version}-exec.jar`), jar);
  await rm(partial, { recursive: true, force: true });
  log(`zipkin: fetched in ${((Date.now() - started) / 1000).toFixed(1)} s into ${jar}`);
  return jar;
}

/**
 * Makes sure a Zipkin server answers on `ZIPKIN_PORT` (9411) unless none is wanted (see `wantsZipkin`):
 * one already answering is reused, else the exec jar is fetched and started on the machine's Java 17
 * (in-memory storage, `ZIPKIN_MAX_SPANS` spans, default 200000) as a child that never outlives this process.
 * Throws when it exits or does not answer within `ZIPKIN_START_TIMEOUT_MS` (default 300000).
 */
export async function ensureZipkin({ log }: { log: (line: string) => void }): Promise<ZipkinHandle> {
  const none: ZipkinHandle = { started: false, stop: async () => {} };
  if (!wantsZipkin()) return none;
  const port = zipkinPort();
  const url = `http://localhost:${port}`;
  if (await answers(url)) {
    log(`zipkin: reusing the server already on ${url}`);
    return { ...none, url };
  }
  const jar = await ensureZipkinJar(log);
  await mkdir(ZIPKIN_CACHE_DIR, { recursive: true });
  const consoleLog = join(ZIPKIN_CACHE_DIR, `zipkin-${port}.log`);
  const begun = Date.now();
  log(`zipkin: starting on ${url}; log in ${consoleLog}`);
  const server = startOwned('java', [
    ...JVM_OPTIONS, '-jar', jar, `--server.port=${port}`, '--server.address=127.0.0.1',
    `--zipkin.storage.mem.max-spans=${MAX_SPANS}`, '--logging.level.root=WARN',
  ], { file: consoleLog });
  const stop = () => server.stop(STOP_GRACE_MS);
  const outcome = await server.waitUntil(() => answers(url), START_TIMEOUT_MS, 500);
  if (outcome === 'up') {
    log(`zipkin: up in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
    return { url, started: true, pid: server.child.pid, stop };
  }
  await stop();
  const why = outcome === 'timeout' ? `did not answer within ${START_TIMEOUT_MS / 1000} s` : `exited (${outcome})`;
  throw new Error(`zipkin: server on ${url} ${why}; see ${consoleLog}`);
}

const answers = async (url: string) => {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_500) })).ok;
  } catch {
    return false;
  }
};
