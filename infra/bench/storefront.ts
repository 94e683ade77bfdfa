/**
 * `npm run bench`: the storefront's figures, each printed beside the yardstick it is judged against,
 * all measured in this one run. Uses the storefront on its usual ports, starting it with `npm start`
 * first if nothing answers there (and stopping it afterwards). Prints; never fails on a figure.
 *
 *   1. idle memory (RSS) of every part;
 *   2. bff-web's catalog page against catalog's own `/products` (the page's upstream call), at 1 and
 *      at 50 connections (autocannon), plus bff-mobile's product list;
 *   3. bytes per product, bff-mobile against bff-web, for the same pages;
 *   4. live push (PUT /stock → socket event) against its parts: raw Kafka produce→consume, raw
 *      socket.io emit, and the PUT alone.
 *
 * BENCH_SECONDS (default 10) is the length of each load run, BENCH_LIVE_ROUNDS (default 200) the live push's
 * samples. BENCH_ONLY=live runs section 4 alone (the same measurement, without the load runs before it). A storefront already running keeps its own per-address limits (bff-mobile's RATE_LIMIT): start
 * it with them raised, or let the bench start it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parts, partUrl, repoRoot } from '../src/parts.ts';
import { load, type LoadResult } from './http-load.ts';
import { measureLivePush } from './live-push.ts';
import { mib, partMemory } from './memory.ts';
import { comparePayloads, MOBILE_PAYLOAD_LIMIT } from './payload.ts';
import { ms, say, sleep, table } from './stats.ts';

const url = (name: string) => partUrl(parts.find((p) => p.name === name)!);
const SHELL = url('shell');
const BFF_WEB = url('bff-web');
const BFF_MOBILE = url('bff-mobile');
const CATALOG = url('catalog');
const INVENTORY = url('inventory');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAGE_SIZE = 12;

const answers = (u: string) => fetch(u, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);

async function ensureStorefront(): Promise<ChildProcess | undefined> {
  if (await answers(`${SHELL}/ready`)) return undefined;
  say('starting the storefront with npm start…');
  // Every request of the load comes from one address: raise the per-address limits, as the e2e suite does.
  const env = { ...process.env, RATE_LIMIT: '100000000', AUTH_RATE_LIMIT_PER_MIN: '100000' };
  const child = spawn('npm', ['start'], { cwd: repoRoot, stdio: 'ignore', detached: true, env });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let i = 0; i < 600 && exited === undefined && !(await answers(`${SHELL}/ready`)); i++) await sleep(500);
  if (exited !== undefined) throw new Error(`npm start exited (code ${exited}) before the storefront was ready (see .cache/logs)`);
  if (await answers(`${SHELL}/ready`)) return child;
  // Stopped, not left behind: a storefront still starting would hold the ports (and its Zipkin) after the bench.
  if (child.pid) process.kill(-child.pid, 'SIGINT');
  throw new Error('the storefront did not come up within 5 minutes (see .cache/logs); stopped it');
}

function idleMemory() {
  say('\n## Idle memory (RSS), after 5 s without requests');
  const rows: string[][] = [];
  let total = 0;
  for (const part of [...parts, { name: 'kafka', port: Number(BROKERS[0]!.split(':')[1] ?? 9092) }]) {
    const m = partMemory(part.port);
    if (!m) {
      rows.push([part.name, '-', '-', '-', 'not found (no listener on its port)']);
      continue;
    }
    total += m.rss + m.childrenRss;
    rows.push([part.name, String(m.pid), mib(m.rss), mib(m.childrenRss), m.children.join(', ') || '-']);
  }
  table(['part', 'pid', 'RSS', 'children RSS', 'child processes'], rows);
  say(`total ${mib(total)}`);
}

const loadRow = (name: string, r: LoadResult) => [
  name, r.rps.toFixed(0), ms(r.p50), ms(r.p99), ms(r.mean), (r.p99 / r.p50).toFixed(1), r.bytes.toFixed(0), String(r.non2xx + r.errors),
];

async function catalogPage() {
  const upstream = `${CATALOG}/products?offset=0&limit=${PAGE_SIZE}`;
  const page = `${BFF_WEB}/api/catalog?page=1&pageSize=${PAGE_SIZE}`;
  const mobile = `${BFF_MOBILE}/m/v1/products?limit=${PAGE_SIZE}`;
  for (const connections of [1, 50]) {
    say(`\n## Catalog page at ${connections} connection${connections > 1 ? 's' : ''} (autocannon, ${SECONDS} s each after 2 s warm-up)`);
    const raw = await load(upstream, { connections, seconds: SECONDS });
    const web = await load(page, { connections, seconds: SECONDS });
    const mob = await load(mobile, { connections, seconds: SECONDS });
    table(['what', 'req/s', 'p50', 'p99', 'mean', 'p99/p50', 'bytes', 'failed'], [
      loadRow('catalog GET /products (yardstick)', raw),
      loadRow('bff-web GET /api/catalog', web),
      loadRow('bff-mobile GET /m/v1/products', mob),
    ]);
    if (connections === 1) {
      say(`bff-web's cost over its upstream call: p50 ${ms(web.p50 - raw.p50)}, mean ${ms(web.mean - raw.mean)}   (target ≤ 1 ms)`);
      say(`bff-mobile's cost over it:             p50 ${ms(mob.p50 - raw.p50)}, mean ${ms(mob.mean - raw.mean)}`);
    } else {
      say(`bff-web serves ${((100 * web.rps) / raw.rps).toFixed(0)}% of catalog's throughput (target ≥ 50%), p99 = ${(web.p99 / web.p50).toFixed(1)}× p50 (target ≤ 3×)`);
      say(`bff-mobile serves ${((100 * mob.rps) / raw.rps).toFixed(0)}% of it, p99 = ${(mob.p99 / mob.p50).toFixed(1)}× p50`);
    }
  }
}

async function payloads() {
  say(`\n## Bytes per product: bff-mobile GET /m/v1/products vs bff-web GET /api/catalog, same pages (target ≤ ${MOBILE_PAYLOAD_LIMIT})`);
  const rows = await comparePayloads(BFF_WEB, BFF_MOBILE);
  table(['page', 'products', 'web B', 'mobile B', 'web B/product', 'mobile B/product', 'ratio', 'web br', 'mobile br', 'same products'],
    rows.map((r) => [
      r.page, String(r.products), String(r.web), String(r.mobile), (r.web / r.products).toFixed(0), (r.mobile / r.products).toFixed(0),
      r.ratio.toFixed(2), String(r.webBrotli), String(r.mobileBrotli), r.sameProducts ? 'yes' : 'NO',
    ]));
  say(`worst ratio ${Math.max(...rows.map((r) => r.ratio)).toFixed(2)} ("br": the whole answer brotli-compressed, as apps get it)`);
}

async function livePush() {
  const rounds = Number(process.env.BENCH_LIVE_ROUNDS ?? 200);
  say(`\n## Live push: PUT /stock → socket event, against its parts (${rounds} rounds, one sample of each per round)`);
  const f = await measureLivePush({ inventoryUrl: INVENTORY, bffUrl: BFF_WEB, brokers: BROKERS, watchedSku: 'OUT-0004', otherSku: 'OUT-0003', rounds });
  const sum = { p50: f.kafka.p50 + f.socketIo.p50 + f.put.p50, p99: f.kafka.p99 + f.socketIo.p99 + f.put.p99 };
  table(['what', 'p50', 'p99', 'mean', 'max'], [
    ['raw kafkajs produce→consume', ms(f.kafka.p50), ms(f.kafka.p99), ms(f.kafka.mean), ms(f.kafka.max)],
    ['raw socket.io emit', ms(f.socketIo.p50), ms(f.socketIo.p99), ms(f.socketIo.mean), ms(f.socketIo.max)],
    ['PUT /stock alone', ms(f.put.p50), ms(f.put.p99), ms(f.put.mean), ms(f.put.max)],
    ['sum of the three parts', ms(sum.p50), ms(sum.p99), '', ''],
    ['live push PUT → socket', ms(f.push.p50), ms(f.push.p99), ms(f.push.mean), ms(f.push.max)],
  ]);
  say(`live push p99 = ${(f.push.p99 / sum.p99).toFixed(2)}× the sum of its parts' p99 (target ≤ 1.5×); p50 ${(f.push.p50 / sum.p50).toFixed(2)}×`);
}

const only = process.env.BENCH_ONLY;
if (only !== undefined && only !== 'live') throw new Error(`BENCH_ONLY takes "live" (or nothing, for every section), not ${JSON.stringify(only)}`);
const started = await ensureStorefront();
try {
  await sleep(5000);
  if (only !== 'live') {
    idleMemory();
    await catalogPage();
    await payloads();
  }
  await livePush();
} finally {
  if (started?.pid) process.kill(-started.pid, 'SIGINT');
}
