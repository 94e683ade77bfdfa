import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFrontendServer } from '../src/app.ts';
import { MAX_RENDER_BODY_BYTES, MAX_RENDER_URL_LENGTH, RELEASE_RENDER_DIR } from '../src/fragment-render.ts';

/** A fragment's server-render bundle as its SSR build leaves it, standing in for mfe-catalog's. */
const BUNDLE = `
export class RenderDataError extends Error {}
export function renderFirstScreen(url, data) {
  const path = url.split('?')[0];
  if (path === '/boom') throw new Error('secret internals');
  if (path !== '/') return undefined;
  const answer = data['/api/catalog'];
  if (!answer || !Array.isArray(answer.products)) throw new RenderDataError('data has no answer for /api/catalog');
  return { module: 'mfe_catalog/CatalogPage', html: '<ul>' + answer.products.map((p) => '<li>' + p.name + '</li>').join('') + '</ul>' };
}
`;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fragment-render-'));
  dirs.push(dir);
  return dir;
}

/** A remote's server whose render bundle is `bundle` (a file that may not exist yet), its releases in `releasesDir`. */
async function remote(bundle: URL | undefined, name = 'mfe-catalog', releasesDir?: string): Promise<FastifyInstance> {
  const distDir = tempDir();
  writeFileSync(join(distDir, 'mf-manifest.json'), '{}');
  return buildFrontendServer({
    role: 'remote',
    ...(bundle ? { render: { module: bundle } } : {}),
    ...(releasesDir ? { releasesDir } : {}),
    name,
    distDir,
    // Never asked: nothing here goes to the API.
    bffWebUrl: 'http://127.0.0.1:9',
    logger: false,
  });
}

const render = (app: FastifyInstance, body: unknown, contentType = 'application/json', url = '/render') =>
  app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('POST /render on a remote with a server-render bundle', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'server-render.js'), BUNDLE);
    app = await remote(pathToFileURL(join(dir, 'server-render.js')));
  });
  afterAll(async () => app.close());

  it('answers the HTML of the page, naming the module whose slot it fills, kept by no cache', async () => {
    const response = await render(app, { url: '/?page=1', data: { '/api/catalog': { products: [{ name: 'Kettle' }, { name: 'Pan' }] } } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-fragment-module']).toBe('mfe_catalog/CatalogPage');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toBe('<ul><li>Kettle</li><li>Pan</li></ul>');
  });

  it('answers 404 for a page the fragment does not fill', async () => {
    const response = await render(app, { url: '/cart', data: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, code: 'MFE_CATALOG_NOT_FOUND', message: expect.stringContaining('/cart') });
  });

  it.each([
    ['an array', [1]],
    ['a string', '"x"'],
    ['no url', { data: {} }],
    ['a url not starting with /', { url: 'products/KIT-0001', data: {} }],
    ['an absolute URL', { url: 'http://evil.example/', data: {} }],
    ['a url too long', { url: `/?query=${'x'.repeat(MAX_RENDER_URL_LENGTH)}`, data: {} }],
    ['no data', { url: '/' }],
    ['data not an object', { url: '/', data: [] }],
    ['data null', { url: '/', data: null }],
    ['broken JSON', '{"url": "/",'],
  ])('answers 400 for a body that is %s', async (_what, body) => {
    const response = await render(app, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
  });

  it('refuses a body larger than any page\'s data (413) before rendering it', async () => {
    const products = Array.from({ length: 2000 }, (_, i) => ({ name: `Kettle ${i} ${'x'.repeat(40)}` }));
    const response = await render(app, { url: '/', data: { '/api/catalog': { products } } });
    expect(response.statusCode).toBe(413);
    expect(JSON.stringify({ url: '/', data: { '/api/catalog': { products } } }).length).toBeGreaterThan(MAX_RENDER_BODY_BYTES);
  });

  it('names what is wrong with the body', async () => {
    const response = await render(app, { url: 'products', data: {} });
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_BAD_RENDER_REQUEST', message: expect.stringContaining('url') });
  });

  it('answers 422 for data the page cannot be rendered from', async () => {
    const response = await render(app, { url: '/', data: { '/api/catalog': { items: [] } } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_UNRENDERABLE_DATA', message: 'data has no answer for /api/catalog' });
  });

  it("answers a failing render with a 500 that keeps the bundle's message to the log", async () => {
    const response = await render(app, { url: '/boom', data: {} });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_RENDER_FAILED' });
    expect(response.body).not.toContain('secret');
  });
});

describe('POST /render without a built bundle', () => {
  it('answers 503 until the bundle is built, then renders with it (no restart)', async () => {
    const dir = tempDir();
    const file = join(dir, 'dist-ssr', 'server-render.js');
    const app = await remote(pathToFileURL(file));
    const body = { url: '/', data: { '/api/catalog': { products: [{ name: 'Kettle' }] } } };
    const before = await render(app, body);
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({ code: 'MFE_CATALOG_RENDER_NOT_BUILT' });

    mkdirSync(join(dir, 'dist-ssr'));
    writeFileSync(file, BUNDLE);
    expect((await render(app, body)).body).toBe('<ul><li>Kettle</li></ul>');
    // A rebuild is picked up too.
    writeFileSync(file, BUNDLE.replace("'<ul>'", "'<ol>'"));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await render(app, body)).body).toBe('<ol><li>Kettle</li></ul>');
    await app.close();
  });

  it('loads the bundle as the server starts, before the first page asks', async () => {
    const dir = tempDir();
    const marker = join(dir, 'imported');
    writeFileSync(join(dir, 'server-render.js'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\n${BUNDLE}`);
    const app = await remote(pathToFileURL(join(dir, 'server-render.js')));
    await app.ready();
    await expect.poll(() => existsSync(marker)).toBe(true);
    await app.close();
  });

  it('answers 503 for a bundle that cannot be loaded', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'server-render.js'), 'export function renderFirstScreen( {');
    const app = await remote(pathToFileURL(join(dir, 'server-render.js')));
    expect((await render(app, { url: '/', data: {} })).statusCode).toBe(503);
    await app.close();
  });

  it('is a 404 on a remote that renders nothing (mfe-cart)', async () => {
    const app = await remote(undefined, 'mfe-cart');
    const response = await render(app, { url: '/', data: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'MFE_CART_NOT_FOUND' });
    await app.close();
  });
});

describe('POST /releases/<version>/render: a release renders with its own bundle', () => {
  let app: FastifyInstance;
  let releasesDir: string;
  const body = { url: '/', data: { '/api/catalog': { products: [{ name: 'Kettle' }] } } };
  /** A release folder as `npm run release` leaves it: the client build and, if given, its server-render bundle under `.ssr/`. */
  const release = (version: string, bundle: string | undefined) => {
    mkdirSync(join(releasesDir, version, RELEASE_RENDER_DIR), { recursive: true });
    writeFileSync(join(releasesDir, version, 'mf-manifest.json'), '{}');
    if (bundle) writeFileSync(join(releasesDir, version, RELEASE_RENDER_DIR, 'server-render.js'), bundle);
  };
  beforeAll(async () => {
    const dist = tempDir();
    writeFileSync(join(dist, 'server-render.js'), BUNDLE);
    releasesDir = tempDir();
    release('v2', BUNDLE.replace("'<ul>'", "'<ol data-release=v2>'"));
    release('old', undefined);
    app = await remote(pathToFileURL(join(dist, 'server-render.js')), 'mfe-catalog', releasesDir);
  });
  afterAll(async () => app.close());

  it("answers with the release's HTML, and /render still with the current build's", async () => {
    const released = await render(app, body, 'application/json', '/releases/v2/render');
    expect(released.statusCode).toBe(200);
    expect(released.headers['x-fragment-module']).toBe('mfe_catalog/CatalogPage');
    expect(released.body).toBe('<ol data-release=v2><li>Kettle</li></ul>');
    expect((await render(app, body)).body).toBe('<ul><li>Kettle</li></ul>');
  });

  it('checks the body as /render does', async () => {
    const response = await render(app, { url: 'products', data: {} }, 'application/json', '/releases/v2/render');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_BAD_RENDER_REQUEST' });
  });

  it('answers 503 for a release built without a server-render bundle: the page renders in the browser', async () => {
    const response = await render(app, body, 'application/json', '/releases/old/render');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_RENDER_NOT_BUILT', message: expect.stringContaining('release old') });
    expect(response.body).not.toContain(releasesDir);
  });

  it.each([
    ['a version never released', 'v9'],
    ['a dot-folder (a release being built)', '.staging-v3'],
    ['a path out of the folder', '..%2F..%2Fetc'],
  ])('answers 404 for %s', async (_what, version) => {
    const response = await render(app, body, 'application/json', `/releases/${version}/render`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'MFE_CATALOG_NOT_FOUND' });
  });

  it('never sends a release\'s server-render bundle to a browser', async () => {
    const response = await app.inject({ method: 'GET', url: `/releases/v2/${RELEASE_RENDER_DIR}/server-render.js` });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('renderFirstScreen');
    // The client build beside it is served.
    expect((await app.inject({ method: 'GET', url: '/releases/v2/mf-manifest.json' })).statusCode).toBe(200);
  });
});
