/**
 * `npm run bench` (infra): what tracing costs the catalog page. Starts its own bff-web, catalog and
 * inventory (the page's path) on bench ports beside the running storefront (its databases, Redis and
 * Kafka; `npm start` first if nothing answers), once with `TRACING=off` and once with tracing on, twice
 * each, interleaved, and drives GET /api/catalog with a fixed number of concurrent shoppers for a fixed
 * time. Spans go to a sink in this process that counts and drops them, so Zipkin's own work on this small
 * machine is not billed to the parts. Prints each throughput beside the tracing-off yardstick.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchPart } from '../src/launcher/launch.ts';
import type { RunningPart } from '../src/launcher/process.ts';
import { parts, repoRoot, type Part } from '../src/parts.ts';

const SHELL = 'http://localhost:3000';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGET_COST = 0.1;
const BENCH_PORTS: Record<string, number> = { catalog: 17191, inventory: 17192, 'bff-web': 14091 };
const logDir = path.join(repoRoot, '.cache', 'bench', 'logs');

const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);

async function ensureStorefront(): Promise<ChildProcess | undefined> {
  if (await answers(`${SHELL}/health`)) return undefined;
  process.stdout.write('starting the storefront with npm start…\n');
  const child = spawn('npm', ['start'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  for (let i = 0; i < 600 && !(await answers(`${SHELL}/health`)); i++) await new Promise((r) => setTimeout(r, 500));
  return child;
}

/** A Zipkin-shaped span intake that counts spans and drops them. */
async function spanSink(): Promise<{ url: string; spans(): number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      try {
        count += (JSON.parse(body) as unknown[]).length;
      } catch { /* not a span list: nothing to count */ }
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/v2/spans`,
    spans: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The page's path (catalog, inventory, bff-web) on bench ports, tracing on or off; resolves when all are ready. */
async function startPath(tracing: boolean, sinkUrl: string): Promise<RunningPart[]> {
  const url = (name: string) => `http://127.0.0.1:${BENCH_PORTS[name]}`;
  const started: RunningPart[] = [];
  for (const name of ['catalog', 'inventory', 'bff-web']) {
    const part: Part = parts.find((p) => p.name === name)!;
    await launchPart({ ...part, port: BENCH_PORTS[name]! }, {
      kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logDir,
      readyTimeoutMs: 150_000,
      onStart: (p) => void started.push(p),
      env: {
        PORT: String(BENCH_PORTS[name]),
        CATALOG_URL: url('catalog'),
        INVENTORY_URL: url('inventory'),
        TRACING: tracing ? 'on' : 'off',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: sinkUrl,
        LOG_LEVEL: 'warn',
        INSTANCE_ID: `bench-${name}`,
      },
    }).catch(async (err: Error) => {
      await Promise.all(started.map((p) => p.stop()));
      throw err;
    });
  }
  return started;
}

/** Completed requests per second over `ms` with `CONCURRENCY` shoppers each asking again as soon as answered. */
async function throughput(base: string, ms: number): Promise<number> {
  let done = 0;
  let failed = 0;
  const end = performance.now() + ms;
  const shopper = async (n: number) => {
    for (let i = n; performance.now() < end; i += CONCURRENCY) {
      const res = await fetch(`${base}/api/catalog?page=${(i % 4) + 1}&pageSize=12${i % 3 ? '' : '&query=lamp'}`);
      await res.arrayBuffer();
      if (res.ok) done++;
      else failed++;
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => shopper(n)));
  if (failed > 0) throw new Error(`${failed} catalog pages failed during the bench`);
  return done / ((performance.now() - began) / 1000);
}

const storefront = await ensureStorefront();
const sink = await spanSink();
const results: Record<'off' | 'on', number[]> = { off: [], on: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['off', 'on'] as const) {
      const running = await startPath(mode === 'on', sink.url);
      try {
        const base = `http://127.0.0.1:${BENCH_PORTS['bff-web']}`;
        await throughput(base, WARMUP_MS);
        results[mode].push(await throughput(base, MEASURE_MS));
      } finally {
        await Promise.all(running.map((p) => p.stop()));
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const off = mean(results.off);
  const on = mean(results.on);
  const cost = 1 - on / off;
  const row = (name: string, value: number, note: string) =>
    process.stdout.write(`${name.padEnd(44)} ${value.toFixed(0).padStart(6)} req/s   ${note}\n`);
  process.stdout.write(`catalog page throughput (GET /api/catalog, ${CONCURRENCY} concurrent, ${ROUNDS}×${MEASURE_MS / 1000} s each):\n`);
  row('  tracing off (yardstick)', off, `rounds ${results.off.map((x) => x.toFixed(0)).join(', ')}`);
  row('  tracing on (spans to a counting sink)', on,
    `rounds ${results.on.map((x) => x.toFixed(0)).join(', ')}; cost ${(cost * 100).toFixed(1)}% (target ≤ ${TARGET_COST * 100}%), ${sink.spans()} spans exported`);
} finally {
  await sink.close();
  if (storefront?.pid) process.kill(-storefront.pid, 'SIGINT');
}
