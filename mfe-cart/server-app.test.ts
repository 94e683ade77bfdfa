import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFragmentServer, IMMUTABLE } from './server-app.ts';

let dist: string;
let app: FastifyInstance;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'fragment-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'mf-manifest.json'), '{}');
  writeFileSync(join(dist, 'remoteEntry.js'), 'export {}');
  writeFileSync(join(dist, 'assets', 'page-AbCd1234.js'), 'export {}');
  app = await buildFragmentServer({ distDir: dist, bffWebUrl: 'http://127.0.0.1:9', logger: false });
});

afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('fragment server', () => {
  it('answers health and readiness', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready' });
  });

  it('lets the shell origin load its files', async () => {
    const response = await app.inject({ url: '/remoteEntry.js', headers: { origin: 'http://localhost:3000' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('revalidates the manifest and entry, caches hashed assets forever', async () => {
    expect((await app.inject('/mf-manifest.json')).headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/remoteEntry.js')).headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/')).headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/assets/page-AbCd1234.js')).headers['cache-control']).toBe(IMMUTABLE);
  });

  it('serves its standalone page for client routes and a JSON 404 for missing files', async () => {
    expect((await app.inject('/cart')).body).toContain('id="root"');
    const missing = await app.inject('/assets/gone-12345678.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
