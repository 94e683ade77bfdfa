/**
 * `npm run bench`: figures for what shoppers feel. Uses the storefront on its usual ports, starting
 * it with `npm start` first if nothing answers there (and stopping it afterwards).
 *   - catalog page: bff-web's /api/catalog, which fans out to catalog and inventory;
 *   - live update: from an operator's PUT /stock to the socket event on a watching page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { readOperatorToken } from '../src/operator-token.ts';
import { repoRoot } from '../src/parts.ts';

const SHELL = 'http://localhost:3000';
const BFF = 'http://localhost:4000';
const INVENTORY = 'http://localhost:7102';
const SKU = 'OUT-0004';
const PAGE_REQUESTS = 300;
const LIVE_UPDATES = 30;

const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);

async function ensureStorefront(): Promise<ChildProcess | undefined> {
  if (await answers(`${SHELL}/health`)) return undefined;
  process.stdout.write('starting the storefront with npm start…\n');
  const child = spawn('npm', ['start'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  for (let i = 0; i < 600 && !(await answers(`${SHELL}/health`)); i++) await new Promise((r) => setTimeout(r, 500));
  return child;
}

function summary(name: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  process.stdout.write(`${name.padEnd(34)} n=${String(samples.length).padEnd(4)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms   max ${at(1).padStart(7)} ms\n`);
}

async function catalogPage() {
  const samples: number[] = [];
  for (let i = 0; i < PAGE_REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(`${BFF}/api/catalog?page=${(i % 4) + 1}&pageSize=12${i % 3 ? '' : '&query=lamp'}`);
    await res.json();
    samples.push(performance.now() - started);
  }
  summary('catalog page (GET /api/catalog)', samples);
}

async function liveUpdate() {
  const socket = io(BFF, { transports: ['websocket'] });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  await new Promise((resolve) => socket.emit('watch', [SKU], resolve));
  const original = (await (await fetch(`${INVENTORY}/stock/${SKU}`)).json()).available as number;
  // The admin API takes the operator token `npm start` wrote.
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${readOperatorToken()}` };
  const samples: number[] = [];
  for (let i = 0; i < LIVE_UPDATES; i++) {
    const available = 100 + i;
    const arrived = new Promise<void>((resolve) => {
      const onStock = (u: { sku: string; available: number }) => {
        if (u.sku === SKU && u.available === available) {
          socket.off('stock:changed', onStock);
          resolve();
        }
      };
      socket.on('stock:changed', onStock);
    });
    const started = performance.now();
    await fetch(`${INVENTORY}/stock/${SKU}`, { method: 'PUT', headers: admin, body: JSON.stringify({ available }) });
    await arrived;
    samples.push(performance.now() - started);
  }
  await fetch(`${INVENTORY}/stock/${SKU}`, { method: 'PUT', headers: admin, body: JSON.stringify({ available: original }) });
  socket.close();
  summary('live stock update (PUT → socket)', samples);
}

const started = await ensureStorefront();
try {
  await catalogPage();
  await liveUpdate();
} finally {
  if (started?.pid) process.kill(-started.pid, 'SIGINT');
}
