/**
 * `npm run scale`: three bff-web instances behind HAProxy keep every page live when one is killed.
 *
 * Starts the system as `BFF_WEB_INSTANCES=3 npm start` does (the standard ports: run it alone, e.g. under
 * `flock /tmp/stdports.lock`), opens pages' live clients (the shared live-client module, in Node) on :4000
 * watching one product, then: every instance holds some sockets; a stock change reaches every page; SIGKILL
 * the instance holding the most; every page reconnects to another and gets the next change, without a
 * reload. Prints one line per check; exits 1 if any fails. Ctrl-C or the end stops everything it started.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createSocket, createLiveClient, type LiveClient } from '@shop/live-client';
import { WATCHED_SKU } from '../chaos/load.ts';
import { operatorTokenFile } from '../operator-token.ts';
import { partUrl, parts, repoRoot } from '../parts.ts';
import { instancePort } from '../launcher/balancer.ts';
import { liveSocketsOn } from './live-sockets.ts';

const INSTANCES = 3;
const PAGES = 30;
const bffWeb = parts.find((p) => p.name === 'bff-web')!;
const inventory = parts.find((p) => p.name === 'inventory')!;
const instancePorts = Array.from({ length: INSTANCES }, (_, i) => instancePort(bffWeb, i + 1));

const say = (line: string) => process.stdout.write(`${line}\n`);
let failed = false;
const check = (ok: boolean, what: string) => {
  say(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failed = true;
};

async function until(ready: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await Promise.resolve().then(ready).catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** The pid listening on a TCP port of 127.0.0.1 (from /proc via `ss`). */
async function pidOn(port: number): Promise<number> {
  const out = await new Promise<string>((resolve) => {
    const ss = spawn('ss', ['-Hltnp', `sport = :${port}`]);
    let text = '';
    ss.stdout.on('data', (d) => (text += d));
    ss.on('close', () => resolve(text));
  });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`nothing listens on ${port}`);
  return Number(pid);
}

async function setStock(available: number): Promise<void> {
  const token = readFileSync(operatorTokenFile, 'utf8').trim();
  const res = await fetch(`${partUrl(inventory)}/stock/${WATCHED_SKU}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ available }),
  });
  if (!res.ok) throw new Error(`PUT /stock answered ${res.status}: ${await res.text()}`);
}

const system = spawn('npm', ['start'], {
  cwd: repoRoot,
  env: { ...process.env, BFF_WEB_INSTANCES: String(INSTANCES) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true, // its own process group: stopped as Ctrl-C stops it
});
const systemExited = new Promise<void>((resolve) => system.once('exit', () => resolve()));
const pages: { client: LiveClient; seen: number[] }[] = [];

async function stop(code: number): Promise<never> {
  for (const page of pages) page.client.close();
  if (system.exitCode === null) process.kill(-system.pid!, 'SIGINT');
  await systemExited;
  process.exit(code);
}
process.once('SIGINT', () => void stop(130));

try {
  say(`starting the system with ${INSTANCES} bff-web instances (log: npm start's output below)…`);
  const started = await new Promise<boolean>((resolve) => {
    let text = '';
    system.stdout!.on('data', (d: Buffer) => {
      process.stdout.write(d);
      text += d.toString();
      if (text.includes('press Ctrl-C')) resolve(true);
    });
    void systemExited.then(() => resolve(false));
  });
  if (!started) throw new Error('npm start did not come up');

  for (let i = 0; i < PAGES; i++) {
    const page = { client: createLiveClient(() => createSocket({ url: partUrl(bffWeb) })), seen: [] as number[] };
    page.client.onStockChanged((u) => {
      if (u.sku === WATCHED_SKU) page.seen.push(u.available);
    });
    page.client.watch([WATCHED_SKU]);
    pages.push(page);
  }
  const counts = async () => Promise.all(instancePorts.map(liveSocketsOn));
  const total = async () => (await counts()).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  check(await until(async () => (await total()) === PAGES, 20_000), `${PAGES} pages connected through HAProxy`);
  const spread = await counts();
  check(spread.every((n) => (n ?? 0) > 0), `sockets spread over all ${INSTANCES} instances: ${spread.join(' / ')}`);

  const everyPageSaw = (available: number) => until(() => pages.every((p) => p.seen.includes(available)), 20_000);
  await setStock(41);
  check(await everyPageSaw(41), 'a stock change reaches every page');

  const busiest = instancePorts[spread.indexOf(Math.max(...spread.map((n) => n ?? 0)))]!;
  process.kill(await pidOn(busiest), 'SIGKILL');
  say(`killed the bff-web instance on ${busiest} (SIGKILL), holding ${Math.max(...spread.map((n) => n ?? 0))} sockets`);
  check(await until(async () => (await total()) === PAGES, 30_000), `every page reconnected to another instance: ${(await counts()).map((n) => n ?? 'dead').join(' / ')}`);

  await setStock(42);
  check(await everyPageSaw(42), 'the next stock change reaches every page, without a reload');
  const duplicates = pages.filter((p) => p.seen.filter((a) => a === 42).length > 1).length;
  check(duplicates === 0, `no page got that change twice (${duplicates} did)`);
  await setStock(40); // as the seed left it, more or less: the product stays in stock for other runs
} catch (err) {
  check(false, (err as Error).message);
}
await stop(failed ? 1 : 0);
