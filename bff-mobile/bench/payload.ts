/**
 * `npm run bench --workspace @shop/bff-mobile`: the bytes of a catalog page, bff-web's `/api/catalog`
 * against bff-mobile's `/m/v1/products`, for the same pages of the same catalog. Per product (the whole
 * answer over its products) the mobile payload must be at most 0.6 of the web one (exit code 1 otherwise).
 *
 * Uses bff-web on BFF_WEB_URL (starting the storefront with `npm start` if nothing answers there, and
 * stopping it afterwards) and bff-mobile on BFF_MOBILE_URL, or one started here against the same
 * catalog and inventory when none answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

const LIMIT = 0.6;
const PAGE_SIZE = 20;
const BFF_WEB = process.env.BFF_WEB_URL ?? 'http://127.0.0.1:4000';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ensureStorefront(): Promise<ChildProcess | undefined> {
  if (await answers(`${BFF_WEB}/health`)) return undefined;
  process.stdout.write('bff-web does not answer: starting the storefront with npm start…\n');
  const child = spawn('npm', ['start'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  for (let i = 0; i < 600 && !(await answers(`${BFF_WEB}/health`)); i++) await sleep(500);
  return child;
}

async function ensureMobile(): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.BFF_MOBILE_URL ?? 'http://127.0.0.1:4100';
  if (await answers(`${url}/health`)) return { url, stop: async () => undefined };
  // Against the catalog and inventory the storefront runs: the same data bff-web shows.
  const app = await buildApp(readConfig({ ...process.env, LOG_LEVEL: 'warn', LIVE_ENABLED: 'false', PORT: '0' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  process.stdout.write(`bff-mobile does not answer on ${url}: started one on port ${port}\n`);
  return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

interface Sized {
  raw: number;
  gzip: number;
  br: number;
  items: unknown[];
}

async function get(url: string, items: (body: unknown) => unknown[]): Promise<Sized & { body: unknown }> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = JSON.parse(bytes.toString('utf8'));
  return { raw: bytes.length, gzip: gzipSync(bytes).length, br: brotliCompressSync(bytes).length, items: items(body), body };
}

const perItem = (s: Sized) => s.raw / s.items.length;
const itemBytes = (s: Sized) => s.items.reduce<number>((n, item) => n + Buffer.byteLength(JSON.stringify(item)), 0) / (s.items.length || 1);
const fmt = (n: number, width = 8) => n.toFixed(1).padStart(width);

const storefront = await ensureStorefront();
const mobile = await ensureMobile();
let worst = 0;
try {
  const pages: { name: string; web: string; mobile: (cursor?: string) => string }[] = [
    { name: 'first page', web: `page=1&pageSize=${PAGE_SIZE}`, mobile: () => `limit=${PAGE_SIZE}` },
    { name: 'second page', web: `page=2&pageSize=${PAGE_SIZE}`, mobile: (cursor) => `limit=${PAGE_SIZE}&cursor=${cursor}` },
    { name: 'search "lamp"', web: `query=lamp&pageSize=${PAGE_SIZE}`, mobile: () => `query=lamp&limit=${PAGE_SIZE}` },
    { name: 'category audio', web: `category=audio&pageSize=${PAGE_SIZE}`, mobile: () => `category=audio&limit=${PAGE_SIZE}` },
  ];
  process.stdout.write(
    `\ncatalog payload of the same page: bff-web GET /api/catalog vs bff-mobile GET /m/v1/products, in bytes.\n` +
      `Per product (whole answer / products) mobile must be at most ${LIMIT} of web.\n\n` +
      `${'page'.padEnd(16)}${'products'.padStart(9)}${'web'.padStart(8)}${'mobile'.padStart(8)}${'web/prod'.padStart(10)}${'mob/prod'.padStart(10)}${'ratio'.padStart(7)}` +
      `${'web br'.padStart(8)}${'mob br'.padStart(8)}${'item ratio'.padStart(12)}  same products\n`,
  );
  let cursor: string | undefined;
  for (const page of pages) {
    const web = await get(`${BFF_WEB}/api/catalog?${page.web}`, (b) => (b as { products: unknown[] }).products);
    const mob = await get(`${mobile.url}/m/v1/products?${page.mobile(cursor)}`, (b) => (b as { items: unknown[] }).items);
    if (page.name === 'first page') cursor = (mob.body as { nextCursor: string }).nextCursor;
    if (web.items.length === 0) throw new Error(`bff-web answered no products for ${page.name}: is the catalog up? ${JSON.stringify(web.body).slice(0, 300)}`);
    const skus = (s: Sized) => s.items.map((i) => (i as { sku: string }).sku).join();
    const ratio = perItem(mob) / perItem(web);
    worst = Math.max(worst, ratio);
    process.stdout.write(
      `${page.name.padEnd(16)}${String(web.items.length).padStart(9)}${String(web.raw).padStart(8)}${String(mob.raw).padStart(8)}` +
        `${fmt(perItem(web), 10)}${fmt(perItem(mob), 10)}${ratio.toFixed(2).padStart(7)}${String(web.br).padStart(8)}${String(mob.br).padStart(8)}` +
        `${(itemBytes(mob) / itemBytes(web)).toFixed(2).padStart(12)}  ${skus(web) === skus(mob) ? 'yes' : 'NO'}\n`,
    );
  }
  process.stdout.write(
    `\n"br": the whole answer brotli-compressed (as apps get it). "item ratio": one product object alone, for information:\n` +
      `the page's categories, paging and degraded notes are bff-web's; a mobile list has none (home brings the categories once).\n` +
      `worst per-product ratio ${worst.toFixed(2)}: ${worst <= LIMIT ? 'within' : 'OVER'} the ${LIMIT} limit\n`,
  );
} finally {
  await mobile.stop();
  if (storefront?.pid) process.kill(-storefront.pid, 'SIGTERM');
}
process.exit(worst <= LIMIT ? 0 : 1);
