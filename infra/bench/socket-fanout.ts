/**
 * `npm run bench:fanout` (also the last step of `npm run bench`): socket fan-out across three bff-web
 * instances (issue 11), each figure beside a yardstick measured in the same run.
 *
 * Starts the system as `BFF_WEB_INSTANCES=3 npm start` does, with the per-address socket limit raised
 * (every socket comes from 127.0.0.1), unless three instances already answer (then it reuses them; they must
 * have been started with LIVE_MAX_CONNECTIONS_PER_ADDRESS ≥ the sockets). Standard ports: run it alone.
 * Opens BENCH_FANOUT_SOCKETS (default 5,000) socket.io clients (websocket) through HAProxy on :4000, each
 * watching the SKUs of the first catalog page, and as many to a bare socket.io server in a child process
 * (the yardstick). Then, in BENCH_FANOUT_CHANGES rounds (default 100), one `PUT /stock` of a SKU of that
 * page and one bare emit to the same room, timing each until the LAST socket got it. It prints:
 *
 *   1. memory per idle socket: each instance's RSS (and heap, from its /metrics) before and after its sockets
 *      connected and watched, over its sockets, beside the bare server's, against the 12 KB goal (printed
 *      before the changes, so it stands even if one goes astray);
 *   2. PUT /stock → last of the sockets across three instances, beside the bare server's emit → last socket.
 *
 * The bench process holds 2 × sockets descriptors and HAProxy 2 per socket: `ulimit -n` must allow them
 * (checked at the start). Prints; exits 1 only when it cannot measure (the system down, sockets refused).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { instancePort } from '../src/launcher/balancer.ts';
import { parts, repoRoot } from '../src/parts.ts';
import { adminRequest } from './admin.ts';
import { listenerPid } from './memory.ts';
import { figures, ms, say, sleep, table } from './stats.ts';

const INSTANCES = 3;
const SOCKETS = Number(process.env.BENCH_FANOUT_SOCKETS ?? 5000);
const CHANGES = Number(process.env.BENCH_FANOUT_CHANGES ?? 100);
const PAGE_SIZE = 12; // the catalog page's (mfe-catalog's CATALOG_PAGE_SIZE)
const GOAL_BYTES = 12 * 1024;
const CONNECT_BATCH = 100; // handshakes in flight at once
const ARRIVAL_TIMEOUT_MS = 30_000;

const part = (name: string) => parts.find((p) => p.name === name)!;
const bffWeb = part('bff-web');
const BFF_WEB = `http://127.0.0.1:${bffWeb.port}`; // HAProxy
const INVENTORY = `http://127.0.0.1:${part('inventory').port}`;
const instancePorts = Array.from({ length: INSTANCES }, (_, i) => instancePort(bffWeb, i + 1));

const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Throws when the open-file limit cannot hold the bench's sockets (its own and the yardstick's). */
function checkOpenFileLimit(): void {
  const soft = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  const needed = 2 * SOCKETS + 1000;
  if (soft && soft !== 'unlimited' && Number(soft) < needed) {
    throw new Error(`ulimit -n is ${soft}; ${SOCKETS} sockets and as many to the yardstick need ${needed}: raise it (ulimit -n ${needed}) and run again`);
  }
}

/** The `npm start` this bench started, if it did (its own process group). */
let system: ChildProcess | undefined;

/** Starts `BFF_WEB_INSTANCES=3 npm start` (as `system`) unless three instances answer already. Throws when it does not come up. */
async function ensureThreeInstances(): Promise<void> {
  const ready = await Promise.all(instancePorts.map((port) => answers(`http://127.0.0.1:${port}/ready`)));
  if (ready.every(Boolean) && (await answers(`${BFF_WEB}/ready`))) return;
  if (await answers(`${BFF_WEB}/ready`)) {
    throw new Error(`a storefront without ${INSTANCES} bff-web instances answers on :${bffWeb.port}: stop it, or start it with BFF_WEB_INSTANCES=${INSTANCES} LIVE_MAX_CONNECTIONS_PER_ADDRESS=${SOCKETS * 2}`);
  }
  say(`starting the system with ${INSTANCES} bff-web instances (BFF_WEB_INSTANCES=${INSTANCES} npm start; log in .cache/logs)…`);
  // Every socket comes from 127.0.0.1: raise the per-address limit (per instance), as the e2e suite does.
  const env = { ...process.env, BFF_WEB_INSTANCES: String(INSTANCES), LIVE_MAX_CONNECTIONS_PER_ADDRESS: String(SOCKETS * 2) };
  const child = (system = spawn('npm', ['start'], { cwd: repoRoot, stdio: 'ignore', detached: true, env }));
  say(`npm start is process group ${child.pid}`);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready: see .cache/logs`))));
  const up = (async () => {
    const shell = `http://127.0.0.1:${part('shell').port}/ready`; // the shell starts last
    for (let i = 0; i < 600; i++) {
      if (await answers(shell)) return;
      await sleep(500);
    }
    throw new Error('the system did not come up within 5 minutes (see .cache/logs)');
  })();
  try {
    await Promise.race([up, exited]);
  } catch (err) {
    await stopSystem(child);
    throw err;
  }
}

async function stopSystem(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGINT');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

interface Memory {
  rss: number;
  heapUsed: number;
  sockets: number;
}

/** An instance's RSS (from /proc, by the pid on its port), heap used and live sockets (from its /metrics). */
async function instanceMemory(port: number): Promise<Memory> {
  const pid = listenerPid(port);
  if (pid === undefined) throw new Error(`nothing listens on bff-web's instance port ${port}`);
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (prefix: string) => Number(text.split('\n').find((l) => l.startsWith(prefix))?.split(' ').at(-1) ?? NaN);
  return { rss, heapUsed: metric('nodejs_heap_size_used_bytes'), sockets: metric('live_sockets{namespace="/"}') };
}

/** The bare socket.io server (raw-fanout-server.ts) in a child process, driven over IPC. */
async function startRawServer() {
  const child = fork(new URL('./raw-fanout-server.ts', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the bare socket.io server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    emit: (sku: string, available: number) => child.send({ emit: { sku, available } }),
    memory: () =>
      new Promise<Memory>((resolve) => {
        child.once('message', (m) => resolve((m as { memory: Memory }).memory));
        child.send({ memory: true });
      }),
    stop: () => child.kill(),
  };
}

/**
 * `count` socket.io clients (websocket, each its own connection) to `url`, each watching `skus`; every
 * `stock:changed` they get goes to `onStock(index, update)`. Throws the first refusal (e.g. the per-address
 * limit) or a refused watch.
 */
async function openSockets(url: string, count: number, skus: string[], onStock: (i: number, u: { sku: string; available: number }) => void) {
  const sockets: Socket[] = [];
  let dropped = 0;
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, async (_, k) => {
        const i = start + k;
        const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', (err) => reject(new Error(`socket ${i} to ${url} refused: ${err.message}`)));
        });
        socket.on('stock:changed', (u: { sku: string; available: number }) => onStock(i, u));
        socket.on('disconnect', () => dropped++);
        const answer = (await socket.timeout(10_000).emitWithAck('watch', skus)) as { error?: string };
        if (answer.error) throw new Error(`watch refused: ${answer.error}`);
      }),
    );
  }
  return { close: () => sockets.forEach((s) => s.close()), dropped: () => dropped };
}

/** Times changes until the last of `count` sockets has seen each one (each socket counted once per change). */
function arrivals(count: number) {
  const lastSeen = new Array<number>(count).fill(-1);
  let expected: { sku: string; available: number; arrived: number; first: number; done: (at: number) => void } | undefined;
  return {
    onStock(i: number, u: { sku: string; available: number }) {
      if (!expected || u.sku !== expected.sku || u.available !== expected.available || lastSeen[i] === u.available) return;
      lastSeen[i] = u.available;
      if (++expected.arrived === 1) expected.first = performance.now();
      if (expected.arrived === count) expected.done(performance.now());
    },
    /** Runs `send` and resolves the ms from it to the first and to the last socket; rejects after 30 s naming how many got it. */
    async time(sku: string, available: number, send: () => unknown): Promise<{ first: number; last: number }> {
      let timer: NodeJS.Timeout | undefined;
      let done = (_at: number) => {};
      const last = new Promise<number>((resolve, reject) => {
        done = resolve;
        timer = setTimeout(() => reject(new Error(`${change.arrived} of ${count} sockets got ${sku}=${available} within ${ARRIVAL_TIMEOUT_MS / 1000} s`)), ARRIVAL_TIMEOUT_MS);
      });
      const change = { sku, available, arrived: 0, first: 0, done };
      expected = change;
      const started = performance.now();
      try {
        await send();
        const at = await last;
        return { first: change.first - started, last: at - started };
      } finally {
        clearTimeout(timer);
        expected = undefined;
      }
    },
  };
}

async function putStock(sku: string, available: number): Promise<void> {
  const res = await adminRequest('PUT', `${INVENTORY}/stock/${sku}`, { available });
  const text = await res.text();
  if (!res.ok) throw new Error(`PUT /stock/${sku} answered ${res.status}: ${text.slice(0, 200)}`);
}

checkOpenFileLimit();
// Ctrl-C: stop the system this bench started (its own process group) before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void (system ? stopSystem(system) : Promise.resolve()).then(() => process.exit(130)));
await ensureThreeInstances();
let raw: Awaited<ReturnType<typeof startRawServer>> | undefined;
const closers: (() => void)[] = [];
let failed = false;
try {
  const bare = (raw = await startRawServer());
  const page = (await (await fetch(`${BFF_WEB}/api/catalog?page=1&pageSize=${PAGE_SIZE}`)).json()) as { products: { sku: string }[] };
  const skus = page.products.map((p) => p.sku);
  if (skus.length === 0) throw new Error('the first catalog page lists no products');
  const sku = skus[0]!;
  const original = ((await (await adminRequest('GET', `${INVENTORY}/stock/${sku}`)).json()) as { available: number }).available;

  await sleep(3000); // let the instances settle after their start
  const before = await Promise.all(instancePorts.map(instanceMemory));
  const rawBefore = await bare.memory();

  say(`\n## Socket fan-out: ${SOCKETS} sockets through :${bffWeb.port} (HAProxy → ${INSTANCES} bff-web instances), each watching the ${skus.length} SKUs of the first catalog page`);
  const viaBff = arrivals(SOCKETS);
  const viaRaw = arrivals(SOCKETS);
  let t = performance.now();
  const bffSockets = await openSockets(BFF_WEB, SOCKETS, skus, viaBff.onStock);
  closers.push(bffSockets.close);
  say(`${SOCKETS} sockets connected and watching in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const rawSockets = await openSockets(bare.url, SOCKETS, skus, viaRaw.onStock);
  closers.push(rawSockets.close);
  say(`${SOCKETS} sockets to the bare socket.io server (yardstick, one process) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  await sleep(5000); // idle: handshakes done, buffers drained
  const after = await Promise.all(instancePorts.map(instanceMemory));
  const rawAfter = await bare.memory();

  say(`\n## Memory per idle socket (RSS and heap after connecting + 5 s idle, minus before, over the instance's sockets; goal ≤ ${kib(GOAL_BYTES)})`);
  const memRow = (what: string, b: Memory, a: Memory) => {
    const n = a.sockets - b.sockets;
    return [what, String(n), `${((a.rss - b.rss) / 1024 / 1024).toFixed(1)} MiB`, n > 0 ? kib((a.rss - b.rss) / n) : '-', n > 0 ? kib((a.heapUsed - b.heapUsed) / n) : '-'];
  };
  const sum = (ms: Memory[]) => ms.reduce((s, m) => ({ rss: s.rss + m.rss, heapUsed: s.heapUsed + m.heapUsed, sockets: s.sockets + m.sockets }), { rss: 0, heapUsed: 0, sockets: 0 });
  table(['process', 'sockets', 'RSS growth', 'RSS/socket', 'heap/socket'], [
    memRow('bare socket.io server (yardstick)', rawBefore, rawAfter),
    ...instancePorts.map((port, i) => memRow(`bff-web instance ${i + 1} (:${port})`, before[i]!, after[i]!)),
    memRow(`bff-web, ${INSTANCES} instances together`, sum(before), sum(after)),
  ]);
  const total = { before: sum(before), after: sum(after) };
  const perSocket = (total.after.rss - total.before.rss) / (total.after.sockets - total.before.sockets);
  const rawPerSocket = (rawAfter.rss - rawBefore.rss) / (rawAfter.sockets - rawBefore.sockets);
  say(`bff-web: ${kib(perSocket)} RSS per idle socket (goal ≤ ${kib(GOAL_BYTES)}: ${perSocket <= GOAL_BYTES ? 'met' : 'NOT met'}), ${(perSocket / rawPerSocket).toFixed(1)}× the bare server's ${kib(rawPerSocket)}`);

  const samples = { bffFirst: [] as number[], bffLast: [] as number[], rawFirst: [] as number[], rawLast: [] as number[] };
  try {
    for (let round = -3; round < CHANGES; round++) {
      const available = 10_000 + round; // a new value every round: each PUT is a change
      const b = await viaBff.time(sku, available, () => putStock(sku, available));
      await sleep(50);
      const r = await viaRaw.time(sku, available, () => bare.emit(sku, available));
      await sleep(50);
      if (round < 0) continue; // the first rounds warm up
      samples.bffFirst.push(b.first);
      samples.bffLast.push(b.last);
      samples.rawFirst.push(r.first);
      samples.rawLast.push(r.last);
    }
  } finally {
    await putStock(sku, original);
  }

  say(`\n${CHANGES} changes of ${sku}, one of each per round; ms from the PUT (or the bare emit) to the first and to the LAST socket`);
  const row = (what: string, s: number[]) => {
    const f = figures(s);
    return [what, ms(f.p50), ms(f.p99), ms(f.mean), ms(f.max)];
  };
  table(['what', 'p50', 'p99', 'mean', 'max'], [
    row('bare socket.io emit → first socket', samples.rawFirst),
    row('bare socket.io emit → last socket (yardstick)', samples.rawLast),
    row(`PUT /stock → first socket (${INSTANCES} instances)`, samples.bffFirst),
    row(`PUT /stock → last socket (${INSTANCES} instances)`, samples.bffLast),
  ]);
  const bffLast = figures(samples.bffLast);
  const rawLast = figures(samples.rawLast);
  const bffFirst = figures(samples.bffFirst);
  say(`fan-out p99 ${ms(bffLast.p99)} = ${(bffLast.p99 / rawLast.p99).toFixed(1)}× the bare server's to as many sockets; ` +
    `spread first→last p50 ${ms(bffLast.p50 - bffFirst.p50)} (bare ${ms(rawLast.p50 - figures(samples.rawFirst).p50)})`);
  say(`sockets dropped during the run: ${bffSockets.dropped()} to bff-web, ${rawSockets.dropped()} to the bare server`);

} catch (err) {
  failed = true;
  process.stderr.write(`socket-fanout: ${(err as Error).message}\n`);
} finally {
  for (const close of closers) close();
  raw?.stop();
  if (system) await stopSystem(system);
}
process.exit(failed ? 1 : 0);
