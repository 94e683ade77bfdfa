import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parseMetrics, sampleValue } from '@shop/platform/testing/prometheus';
import { buildFrontendServer, IMMUTABLE, REMOTES_BLOCK_ID, type FederationRole } from '../src/app.ts';
import type { PageHead } from '../src/page-head.ts';

const remotes = {
  remotes: [
    { name: 'mfe_catalog', entry: 'http://cdn.example/catalog/mf-manifest.json' },
    { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
  ],
};

/** The three apps as their server.ts configure them, with what each one must answer differently. */
const apps: { name: string; federation: FederationRole; code: string; readyFile: string; clientRoute: string }[] = [
  { name: 'shell', federation: { role: 'host', remotes }, code: 'SHELL_NOT_FOUND', readyFile: 'index.html', clientRoute: '/products/KIT-0001' },
  { name: 'mfe-catalog', federation: { role: 'remote' }, code: 'MFE_CATALOG_NOT_FOUND', readyFile: 'mf-manifest.json', clientRoute: '/products/KIT-0001' },
  { name: 'mfe-cart', federation: { role: 'remote' }, code: 'MFE_CART_NOT_FOUND', readyFile: 'mf-manifest.json', clientRoute: '/cart' },
];

const builds: string[] = [];

/** A Vite build as both kinds of app produce it, less the files named in `without`. */
function fakeBuild(without: string[] = []): string {
  const dist = mkdtempSync(join(tmpdir(), 'frontend-dist-'));
  builds.push(dist);
  mkdirSync(join(dist, 'assets'));
  const files: Record<string, string> = {
    'index.html': '<!doctype html><html><head><title>App</title></head><body><div id="root"></div></body></html>',
    'mf-manifest.json': '{}',
    'remoteEntry.js': 'export {}',
    'assets/page-AbCd1234.js': 'export {}',
    // As the build's precompress plugin leaves them: the bytes of another encoding beside the file.
    'assets/page-AbCd1234.js.br': 'brotli bytes',
    'assets/page-AbCd1234.js.gz': 'gzip bytes',
  };
  for (const [file, body] of Object.entries(files)) if (!without.includes(file)) writeFileSync(join(dist, file), body);
  return dist;
}

/** bff-web as the proxy sees it: echoes what reached it. */
let bff: FastifyInstance;
let bffWebUrl: string;

beforeAll(async () => {
  bff = Fastify();
  bff.all('/*', async (request) => ({
    method: request.method,
    url: request.url,
    body: request.body ?? null,
    ...(request.headers['x-forwarded-for'] ? { forwardedFor: request.headers['x-forwarded-for'], forwardedProto: request.headers['x-forwarded-proto'] } : {}),
  }));
  bffWebUrl = await bff.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bff.close();
  for (const dist of builds) rmSync(dist, { recursive: true, force: true });
});

describe.each(apps)('$name server', ({ name, federation, code, readyFile, clientRoute }) => {
  let app: FastifyInstance;
  const build = (distDir: string) => buildFrontendServer({ ...federation, name, distDir, bffWebUrl, logger: false });

  beforeAll(async () => {
    app = await build(fakeBuild());
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers health and readiness', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('answers /metrics in the Prometheus text format: requests by route and status, and the runtime', async () => {
    await app.inject('/assets/page-AbCd1234.js');
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = parseMetrics(res.body);
    // The static files' route pattern, not the file asked for.
    expect(sampleValue(scrape, 'http_requests_total', { method: 'GET', route: '/*', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(scrape, 'http_request_duration_seconds_count', { route: '/*' })).toBeGreaterThanOrEqual(1);
    expect(scrape.samples.some((s) => s.labels.route === '/assets/page-AbCd1234.js')).toBe(false);
    expect(sampleValue(scrape, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it(`is not ready until ${readyFile} is built, and only that file decides`, async () => {
    const unbuilt = await build(fakeBuild([readyFile]));
    const notReady = await unbuilt.inject('/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'not_ready', reason: expect.stringContaining(readyFile) });
    await unbuilt.close();

    const other = readyFile === 'index.html' ? 'mf-manifest.json' : 'index.html';
    const partial = await build(fakeBuild([other]));
    expect((await partial.inject('/ready')).statusCode).toBe(200);
    await partial.close();
  });

  it('caches hashed assets forever and revalidates every file that keeps its name', async () => {
    expect((await app.inject('/assets/page-AbCd1234.js')).headers['cache-control']).toBe(IMMUTABLE);
    for (const url of ['/', '/index.html', '/mf-manifest.json', '/remoteEntry.js']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('answers client routes with the page and missing files with a JSON 404', async () => {
    const route = await app.inject(clientRoute);
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('id="root"');
    expect(route.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject('/assets/gone-12345678.js?v=1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      code,
      error: 'Not Found',
      message: 'Nothing is served at GET /assets/gone-12345678.js',
    });
    // Only reads fall back to the page; a POST to a client route is not the app.
    expect((await app.inject({ method: 'POST', url: clientRoute })).statusCode).toBe(404);
  });

  it('proxies /api and /socket.io to bff-web with path, query and body', async () => {
    const api = await app.inject({
      method: 'POST',
      url: '/api/cart/items?x=1',
      payload: { sku: 'KIT-0001', quantity: 2 },
      remoteAddress: '203.0.113.7',
    });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toEqual({
      method: 'POST',
      url: '/api/cart/items?x=1',
      body: { sku: 'KIT-0001', quantity: 2 },
      // The shopper's address reaches bff-web, for its per-address limits.
      forwardedFor: '203.0.113.7',
      forwardedProto: 'http',
    });
    const socket = await app.inject('/socket.io/?EIO=4&transport=polling');
    expect(socket.json()).toEqual({ method: 'GET', url: '/socket.io/?EIO=4&transport=polling', body: null });
  });

  if (federation.role === 'remote') {
    it("lets the shell's origin load its files", async () => {
      for (const url of ['/remoteEntry.js', '/mf-manifest.json', '/assets/page-AbCd1234.js']) {
        const response = await app.inject({ url, headers: { origin: 'http://localhost:3000' } });
        expect(response.headers['access-control-allow-origin'], url).toBe('*');
      }
    });

    it('does not answer /remotes.json, which only the shell owns', async () => {
      const response = await app.inject('/remotes.json');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code });
    });
  } else {
    it('serves /remotes.json as given, uncached', async () => {
      const response = await app.inject('/remotes.json');
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toEqual(remotes);
    });

    it('sends no CORS headers: its page is same-origin', async () => {
      const response = await app.inject({ url: '/', headers: { origin: 'http://evil.example' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  }
});

describe.each(apps)('$name server, compression', ({ name, federation }) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildFrontendServer({ ...federation, name, distDir: fakeBuild(), bffWebUrl, logger: false });
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends the precompressed file the browser accepts, saying so, and the plain one to others', async () => {
    const br = await app.inject({ url: '/assets/page-AbCd1234.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body).toBe('brotli bytes');
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    const gzip = await app.inject({ url: '/assets/page-AbCd1234.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body).toBe('gzip bytes');
    const plain = await app.inject({ url: '/assets/page-AbCd1234.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('export {}');
  });

  it('compresses what it writes per request', async () => {
    const big = await app.inject({ url: '/api/echo?pad=' + 'x'.repeat(2000), headers: { 'accept-encoding': 'br' } });
    expect(big.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(big.rawPayload).toString()).url).toContain('/api/echo');
  });
});

describe('shell page', () => {
  const build = (head?: (url: URL) => Promise<PageHead>) =>
    buildFrontendServer({ role: 'host', remotes, head, name: 'shell', distDir: fakeBuild(), bffWebUrl, logger: false });

  it('carries the remotes and what head() adds, as data blocks and tags, on every client route', async () => {
    const seen: string[] = [];
    const app = await build(async (url) => {
      seen.push(url.pathname + url.search);
      return { title: 'Kettle — Shop', description: 'A kettle. '.repeat(120), data: { 'page-data': { '/api/products/K-1': { ok: true } } }, modules: ['http://cdn.example/e.js'] };
    });
    const page = await app.inject({ url: '/products/K-1?x=1', headers: { 'accept-encoding': 'gzip' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = gunzipSync(page.rawPayload).toString();
    expect(html).toContain('<title>Kettle — Shop</title>');
    expect(html).toContain(`<script type="application/json" id="${REMOTES_BLOCK_ID}">${JSON.stringify(remotes)}</script>`);
    expect(html).toContain('<script type="application/json" id="page-data">{"/api/products/K-1":{"ok":true}}</script>');
    expect(html).toContain('<link rel="modulepreload" href="http://cdn.example/e.js" crossorigin>');
    expect((await app.inject('/')).body).toContain(REMOTES_BLOCK_ID);
    expect((await app.inject('/index.html')).body).toContain(REMOTES_BLOCK_ID);
    expect(seen).toEqual(['/products/K-1?x=1', '/', '/index.html']);
    await app.close();
  });

  it('is served without its extras when head() fails', async () => {
    const app = await build(async () => {
      throw new Error('bff-web down');
    });
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>App</title>');
    expect(page.body).toContain(REMOTES_BLOCK_ID);
    await app.close();
  });
});
