/**
 * The chaos run itself, imported by `main.ts` once the isolated environment is in place (parts.ts reads
 * the ports when it loads). Starts the system, keeps the load and the live clients going, injects each
 * fault, waits for recovery, checks the invariants and prints a row per fault.
 */
import { Redis } from 'ioredis';
import { partUrl, parts } from '../parts.ts';
import type { Fault } from './faults.ts';
import {
  liveClientsBehind, moneyTakenUnconfirmed, ordersNotFinal, readModelDiffs, readyBodyReportsTrouble,
  newSince, rowFailures, stockNotConserved, type FaultRow,
} from './invariants.ts';
import { CHECKOUT_SKUS, Load, WATCHED_SKU } from './load.ts';
import { LiveWatchers } from './live.ts';
import { killRedisClients, partsHealth, Probe, PROBE_APP_NAME, type PartHealth, type Snapshot } from './probe.ts';
import { ChaosSystem } from './system.ts';
import { formatTable, rowCells } from './table.ts';

/** Load before each fault, so the fault lands in a busy system. */
const WARM_MS = 3_000;
/** How long the first checkout may take to become final before the rows start anyway. */
const FIRST_ORDER_BUDGET_MS = 120_000;
/** The broker stays dead this long before it is started again (as in the issue). */
const KAFKA_DOWN_MS = 8_000;
/** From the end of a fault to every invariant holding; past it the row says "never". */
const RECOVERY_BUDGET_MS = 45_000;
/** A stuck loop must show in `/ready`'s body within this long. */
const TELL_WITHIN_MS = 10_000;
/** The level every bought product starts at; conservation is checked against it. */
const STOCKED = 100_000;
/** Parts that use Kafka: their `/ready` bodies must notice a broker outage. */
const KAFKA_USERS = ['catalog', 'inventory', 'identity', 'cart', 'orders', 'payments', 'bff-web', 'bff-mobile'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`▸ ${line}\n`);
const url = (name: string) => partUrl(parts.find((p) => p.name === name)!);

/** Runs `faults` one at a time; resolves to the process exit code (1 when any row failed). */
export async function runChaos(faults: Fault[]): Promise<number> {
  const system = new ChaosSystem(say);
  const probe = new Probe();
  // Connected only once start() has checked that nobody else uses the run's Redis database.
  const redis = new Redis(process.env.REDIS_URL!, { connectionName: PROBE_APP_NAME, maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => {});
  const load = new Load({ bffWeb: url('bff-web'), bffMobile: url('bff-mobile'), catalog: url('catalog'), inventory: url('inventory'), operatorToken: () => system.operatorToken });
  const live = new LiveWatchers({ bffWeb: url('bff-web'), bffMobile: url('bff-mobile'), shell: url('shell') });
  const stop = async () => {
    await live.close().catch(() => {});
    await system.stopAll();
    await probe.close().catch(() => {});
    redis.disconnect();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  const rows: FaultRow[] = [];
  try {
    await system.start();
    await redis.connect();
    for (const sku of CHECKOUT_SKUS) await put(`${url('inventory')}/stock/${sku}`, { available: STOCKED }, system.operatorToken);
    const stocked = new Map(CHECKOUT_SKUS.map((sku) => [sku, STOCKED]));
    say('signing up the load\'s shoppers and opening the live clients (Chromium too)…');
    await load.prepare();
    await live.open(await load.anyToken());
    // On a fresh broker the services' consumers take a while to join their groups: rows start once a checkout went through.
    const first = await load.firstOrder(FIRST_ORDER_BUDGET_MS);
    say(first ? `first order ${first}; the system is warm` : `the first order was not final within ${FIRST_ORDER_BUDGET_MS / 1000} s; going on`);

    let marker = 0;
    for (const fault of faults) {
      const revived = await system.reviveCrashed();
      if (revived.length) say(`restarted ${revived.join(', ')}, which had died`);
      const crashesBefore = system.unexpectedExits.length;
      // Damage left by earlier rows is not this row's: money and stock are counted from here.
      const before = await retryValue(() => probe.snapshot(redis));
      say(`${fault.name}: load for ${WARM_MS / 1000} s, then the fault…`);
      load.start();
      await sleep(WARM_MS);
      const outcome = await inject(fault, { system, probe, redis, live, load });
      const ops = await load.stop();

      // A final change the system must carry everywhere: the value every live client must end on.
      marker++;
      const final = { price: 10_000 + marker, available: 1 + (marker % 5) };
      await retry(() => put(`${url('inventory')}/stock/${WATCHED_SKU}`, { available: final.available }, system.operatorToken));
      await retry(() => put(`${url('catalog')}/products/${WATCHED_SKU}/price`, { amount: final.price, currency: 'EUR' }, system.operatorToken));

      const row = await awaitRecovery(fault, outcome, { probe, redis, live, stocked, final, before });
      row.ops = ops;
      row.crashes = system.unexpectedExits.slice(crashesBefore);
      rows.push(row);
      say(rowCells(row).join(' | '));
      // Like a shopper who reloads: the next row starts with every client current again.
      if (row.liveBehind.length) await live.reopen(row.liveBehind);
    }
  } catch (err) {
    process.stderr.write(`\n✖ ${(err as Error).stack ?? err}\n`);
    await stop();
    return 2;
  }
  await stop();
  const table = formatTable(rows);
  process.stdout.write(`\n${table}\n`);
  return rows.some((r) => rowFailures(r).length > 0) ? 1 : 0;
}

/** An admin API call, with the run's operator token. */
async function put(target: string, body: unknown, operatorToken: string): Promise<void> {
  const res = await fetch(target, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`PUT ${target}: ${res.status} ${await res.text()}`);
}

async function retryValue<T>(work: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  let value!: T;
  await retry(async () => { value = await work(); }, budgetMs);
  return value;
}

async function retry(work: () => Promise<void>, budgetMs = 30_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

interface FaultOutcome {
  /** When the fault ended (restart done, process continued, connections cut). */
  healedAt: number;
  /** Kafka faults: parts whose `/ready` body showed trouble within TELL_WITHIN_MS, and any non-200 `/ready`. */
  noticedBy?: Set<string>;
  readyWentOut?: string[];
  fallback?: 'loaded' | 'fallback' | 'nothing';
  notes: string[];
}

interface Tools { system: ChaosSystem; probe: Probe; redis: Redis; live: LiveWatchers; load: Load }

/** Carries out one fault, by pid and only on the run's processes; resolves when it is over. */
async function inject(fault: Fault, { system, probe, redis, live, load }: Tools): Promise<FaultOutcome> {
  const notes: string[] = [];
  switch (fault.kind) {
    case 'kafka-kill':
    case 'kafka-stop': {
      const pid = system.kafkaPid();
      process.kill(pid, fault.kind === 'kafka-kill' ? 'SIGKILL' : 'SIGSTOP');
      const holdMs = fault.kind === 'kafka-kill' ? KAFKA_DOWN_MS : fault.holdMs;
      const watch = watchReadiness(holdMs);
      await sleep(holdMs);
      if (fault.kind === 'kafka-kill') await system.startKafka();
      else process.kill(pid, 'SIGCONT');
      const seen = await watch;
      return { healedAt: Date.now(), ...seen, notes };
    }
    case 'part-kill':
    case 'part-term':
      system.signal(fault.part, fault.kind === 'part-kill' ? 'SIGKILL' : 'SIGTERM');
      await system.restart(fault.part);
      return { healedAt: Date.now(), notes };
    case 'part-stop':
      // As in the issue: the pause comes as soon as a checkout answers, so a saga waits on the paused part.
      await load.orderInFlight().then((id) => notes.push(`paused right after order ${id} was placed`), () => notes.push('the checkout before the pause failed'));
      system.signal(fault.part, 'SIGSTOP');
      await sleep(fault.holdMs);
      system.signal(fault.part, 'SIGCONT');
      return { healedAt: Date.now(), notes };
    case 'pg-cut': {
      const n = await probe.cutConnections(fault.database);
      notes.push(`${n} connection(s) to chaos_${fault.database} cut`);
      await sleep(2_000);
      return { healedAt: Date.now(), notes };
    }
    case 'redis-kill': {
      const n = await killRedisClients(redis);
      notes.push(`${n} Redis connection(s) killed`);
      await sleep(2_000);
      return { healedAt: Date.now(), notes };
    }
    case 'fragment-down':
    case 'fragment-hung': {
      const down = fault.kind === 'fragment-down';
      system.signal(fault.part, down ? 'SIGTERM' : 'SIGSTOP');
      const started = Date.now();
      const fallback = await live.loadFreshPage();
      notes.push(`a fresh page showed: ${fallback}`);
      await sleep(Math.max(0, fault.holdMs - (Date.now() - started)));
      if (down) await system.restart(fault.part);
      else system.signal(fault.part, 'SIGCONT');
      return { healedAt: Date.now(), fallback, notes };
    }
  }
}

/** Samples every part's `/ready` once a second for `ms`: who reported trouble in its body within TELL_WITHIN_MS, who went non-200. */
async function watchReadiness(ms: number): Promise<{ noticedBy: Set<string>; readyWentOut: string[] }> {
  const noticedBy = new Set<string>();
  const out = new Set<string>();
  const started = Date.now();
  while (Date.now() - started < ms) {
    for (const h of await partsHealth()) {
      if (h.ready !== 0 && h.ready !== 200) out.add(`${h.name} ${h.ready}`);
      if (Date.now() - started <= TELL_WITHIN_MS && readyBodyReportsTrouble(h.readyBody)) noticedBy.add(h.name);
    }
    await sleep(1_000);
  }
  return { noticedBy, readyWentOut: [...out] };
}

interface Expectations {
  probe: Probe;
  redis: Redis;
  live: LiveWatchers;
  stocked: Map<string, number>;
  final: { price: number; available: number };
  /** The databases as the row found them. */
  before: Snapshot;
}

/** Polls the invariants until all hold (recovered) or the budget runs out, then builds the row. */
async function awaitRecovery(fault: Fault, outcome: FaultOutcome, x: Expectations): Promise<FaultRow> {
  const deadline = Date.now() + RECOVERY_BUDGET_MS;
  for (;;) {
    const row = await measure(fault, x).catch((err: Error) => ({ error: err.message }));
    const health = await partsHealth();
    const allReady = health.every((h) => h.ready === 200);
    if ('error' in row) {
      if (Date.now() < deadline) { await sleep(1_000); continue; }
      return finish(fault, outcome, emptyRow(fault.name, [`could not read the invariants: ${row.error}`]), health, false);
    }
    const settled = allReady && !Object.values(row.outboxPending).some(Boolean) && !row.readModelDiffs
      && !row.ordersNotFinal && !row.stockOff && !row.liveBehind.length;
    if (settled || Date.now() >= deadline) {
      row.recoverMs = settled ? Date.now() - outcome.healedAt : null;
      if (!allReady) row.notes.push(`not ready: ${health.filter((h) => h.ready !== 200).map((h) => `${h.name} ${h.ready}`).join(', ')}`);
      return finish(fault, outcome, row, settled ? await settledHealth(health) : health, settled);
    }
    await sleep(1_000);
  }
}

/** After recovery a body may still show a breaker closing or a loop catching up: it gets TELL_WITHIN_MS to say ok. */
async function settledHealth(health: PartHealth[]): Promise<PartHealth[]> {
  const deadline = Date.now() + TELL_WITHIN_MS;
  while (health.some((h) => readyBodyReportsTrouble(h.readyBody)) && Date.now() < deadline) {
    await sleep(1_000);
    health = await partsHealth();
  }
  return health;
}

function emptyRow(fault: string, notes: string[]): FaultRow {
  return {
    fault, recoverMs: null, outboxPending: {}, readModelDiffs: 0, ordersNotFinal: 0, moneyTaken: 0, stockOff: 0, liveBehind: [],
    readyBodyTruthful: null, readyStatusServing: null, healthTruthful: null, fallbackShown: null, crashes: [], ops: {}, notes,
  };
}

async function measure(fault: Fault, x: Expectations): Promise<FaultRow> {
  const snap = await x.probe.snapshot(x.redis);
  const row = emptyRow(fault.name, []);
  row.outboxPending = snap.outboxPending;
  row.readModelDiffs = readModelDiffs(snap.products, snap.listing, snap.stock);
  row.ordersNotFinal = ordersNotFinal(snap.orders);
  const taken = moneyTakenUnconfirmed(snap.payments, snap.orders);
  const takenBefore = moneyTakenUnconfirmed(x.before.payments, x.before.orders);
  row.moneyTaken = newSince(takenBefore, taken).length;
  const offBefore = stockNotConserved(x.stocked, x.before.stock, x.before.orders);
  const off = newSince(offBefore, stockNotConserved(x.stocked, snap.stock, snap.orders), (o) => `${o.sku} ${o.diff}`);
  row.stockOff = off.length;
  row.liveBehind = liveClientsBehind(await x.live.views(x.final), x.final);
  const pending = Object.entries(snap.outboxPending).filter(([, n]) => n);
  if (pending.length) row.notes.push(`outbox pending: ${pending.map(([s, n]) => `${s} ${n}`).join(', ')}`);
  if (off.length) row.notes.push(`stock off: ${off.map((o) => `${o.sku} ${o.diff > 0 ? '+' : ''}${o.diff}`).join(', ')}`);
  if (row.liveBehind.length) row.notes.push(`live clients behind: ${row.liveBehind.join(', ')}`);
  if (row.moneyTaken) row.notes.push(`${row.moneyTaken} new payment(s) authorized for orders not confirmed (${taken.length} in all)`);
  return row;
}

/** Whether the parts told the truth about themselves, given how the fault went and what they answer now. */
function finish(fault: Fault, outcome: FaultOutcome, row: FaultRow, health: PartHealth[], recovered: boolean): FaultRow {
  const stuck = !recovered && (Object.values(row.outboxPending).some(Boolean) || row.readModelDiffs > 0 || row.ordersNotFinal > 0);
  const troubled = health.filter((h) => h.ready === 0 || readyBodyReportsTrouble(h.readyBody)).map((h) => h.name);
  row.notes.unshift(...outcome.notes);
  if (troubled.length) row.notes.push(`/ready body reports trouble: ${troubled.join(', ')}`);
  if (stuck) {
    // Stuck beyond recovery: a body must say so, and some /health must fail so an orchestrator restarts the part.
    row.readyBodyTruthful = troubled.length > 0;
    row.healthTruthful = health.some((h) => h.health !== 200);
  } else {
    row.readyBodyTruthful = recovered ? troubled.length === 0 : null;
    row.healthTruthful = recovered ? health.every((h) => h.health === 200) : null;
  }
  if (fault.kind === 'kafka-stop' && outcome.noticedBy) {
    const silent = KAFKA_USERS.filter((p) => !outcome.noticedBy!.has(p));
    if (silent.length) {
      row.readyBodyTruthful = false;
      row.notes.push(`/ready body said nothing within ${TELL_WITHIN_MS / 1000} s of the broker pause: ${silent.join(', ')}`);
    }
  }
  if (outcome.readyWentOut) {
    row.readyStatusServing = outcome.readyWentOut.length === 0;
    if (outcome.readyWentOut.length) row.notes.push(`/ready went out of service during the broker outage: ${outcome.readyWentOut.join(', ')}`);
  }
  if (outcome.fallback) row.fallbackShown = outcome.fallback !== 'nothing';
  return row;
}
