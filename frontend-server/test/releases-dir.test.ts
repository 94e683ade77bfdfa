import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFrontendServer, IMMUTABLE, NO_CACHE } from '../src/app.ts';

const root = mkdtempSync(join(tmpdir(), 'fragment-releases-'));
const dist = join(root, 'dist');
const releases = join(root, 'releases', 'mfe-catalog'); // made by the server
let app: FastifyInstance;

function publish(folder: string) {
  mkdirSync(join(releases, folder, 'assets'), { recursive: true });
  writeFileSync(join(releases, folder, 'mf-manifest.json'), `{"release":"${folder}"}`);
  writeFileSync(join(releases, folder, 'assets', 'page-Ab12.js'), 'export {}');
}

beforeAll(async () => {
  mkdirSync(dist);
  writeFileSync(join(dist, 'mf-manifest.json'), '{}');
  app = await buildFrontendServer({ role: 'remote', releasesDir: releases, name: 'mfe-catalog', distDir: dist, bffWebUrl: 'http://127.0.0.1:1', logger: false });
});
afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe("a fragment server's releases", () => {
  it('serves a release published after it started, its manifest revalidated and its hashed assets immutable, to any origin', async () => {
    publish('v1');
    const manifest = await app.inject('/releases/v1/mf-manifest.json');
    expect(manifest.statusCode).toBe(200);
    expect(manifest.json()).toEqual({ release: 'v1' });
    expect(manifest.headers['cache-control']).toBe(NO_CACHE);
    expect(manifest.headers['access-control-allow-origin']).toBe('*');
    const asset = await app.inject('/releases/v1/assets/page-Ab12.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    // The unreleased build stays where it was.
    expect((await app.inject('/mf-manifest.json')).json()).toEqual({});
  });

  it('does not serve a release still being built', async () => {
    publish('.staging-v2');
    expect((await app.inject('/releases/.staging-v2/mf-manifest.json')).statusCode).toBe(404);
    expect((await app.inject('/releases/v9/mf-manifest.json')).statusCode).toBe(404);
  });
});
