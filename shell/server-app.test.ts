import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildShellServer, IMMUTABLE } from './server-app.ts';
import { remotesFromEnv } from './remotes-config.ts';

let dist: string;
let app: FastifyInstance;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'shell-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-AbCd1234.js'), 'export {}');
  app = await buildShellServer({
    distDir: dist,
    bffWebUrl: 'http://127.0.0.1:9', // nothing listens: these tests never reach the BFF
    remotes: remotesFromEnv({ MFE_CATALOG_URL: 'http://cdn.example/catalog' }),
    logger: false,
  });
});

afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('shell server', () => {
  it('answers health and readiness', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).statusCode).toBe(200);
  });

  it('serves /remotes.json uncached', async () => {
    const response = await app.inject('/remotes.json');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.json()).toEqual({
      remotes: [
        { name: 'mfe_catalog', entry: 'http://cdn.example/catalog/mf-manifest.json' },
        { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
      ],
    });
  });

  it('caches hashed assets forever and the page never', async () => {
    expect((await app.inject('/assets/index-AbCd1234.js')).headers['cache-control']).toBe(IMMUTABLE);
    expect((await app.inject('/')).headers['cache-control']).toBe('no-cache');
  });

  it('answers client routes with the app and missing files with a JSON 404', async () => {
    const route = await app.inject('/products/KIT-0001');
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('id="root"');
    expect(route.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject('/assets/gone-12345678.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'SHELL_NOT_FOUND' });
  });
});
