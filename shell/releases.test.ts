import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFrontendServer } from '@shop/frontend-server/app';
import { withCanary, withoutCanary, writeReleaseManifest, type ReleaseManifest } from '@shop/frontend-server/release-manifest';
import { RELEASE_COOKIE } from '@shop/frontend-server/release-routing';
import { createReleases, releasesConfigFromEnv } from './releases.ts';

const remotes = {
  remotes: [
    { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' },
    { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
  ],
};
const dist = { version: 'dist', entry: 'http://localhost:3001/mf-manifest.json' };
const v2 = { version: 'v2', entry: 'http://localhost:3001/releases/v2/mf-manifest.json' };
const root = mkdtempSync(join(tmpdir(), 'shell-releases-'));
const manifestPath = join(root, 'releases', 'manifest.json');
let shell: FastifyInstance;

beforeAll(async () => {
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  const releases = createReleases({ ...releasesConfigFromEnv({ RELEASE_MANIFEST: manifestPath }, new URL('file:///unused')), remotes, bffWebUrl: 'http://127.0.0.1:1' });
  shell = await buildFrontendServer({ role: 'host', remotes, remotesFor: releases.remotesFor, name: 'shell', distDir: join(root, 'dist'), bffWebUrl: 'http://127.0.0.1:1', logger: false });
});
afterAll(async () => {
  await shell.close();
  rmSync(root, { recursive: true, force: true });
});

const cookieOf = (setCookie: string | string[] | undefined) => String(setCookie).split(';')[0]!;
const inlined = (html: string) => JSON.parse(/<script type="application\/json" id="remotes-json">(.*?)<\/script>/.exec(html)![1]!);

describe("the shell's remotes per browser", () => {
  it('without a release manifest are the configured ones, with no cookie', async () => {
    const response = await shell.inject('/remotes.json');
    expect(response.json()).toEqual(remotes);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(inlined((await shell.inject('/')).body)).toEqual(remotes);
  });

  it("with one, each new browser gets a release cookie and a version it keeps; the page's block says the same as /remotes.json", async () => {
    writeReleaseManifest(manifestPath, withCanary(undefined, 'mfe_catalog', v2, 50, dist));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const page = await shell.inject('/');
      expect(String(page.headers['set-cookie'])).toMatch(new RegExp(`^${RELEASE_COOKIE}=[\\w-]+; Max-Age=\\d+; Path=/; HttpOnly; SameSite=Lax$`));
      // A shared cache must not give this browser's version to another.
      expect(page.headers.vary).toMatch(/cookie/i);
      const cookie = cookieOf(page.headers['set-cookie']);
      const first = inlined(page.body);
      expect(first.remotes[1]).toEqual(remotes.remotes[1]);
      for (let reload = 0; reload < 3; reload++) {
        const again = await shell.inject({ url: '/remotes.json', headers: { cookie } });
        expect(again.headers.vary).toMatch(/cookie/i);
        expect(again.json()).toEqual(first);
        expect(again.headers['set-cookie']).toBeUndefined();
      }
      seen.add(first.remotes[0].version);
    }
    expect(seen).toEqual(new Set(['dist', 'v2']));
  });

  it("a dropped canary's browsers get stable on their next request", async () => {
    const manifest: ReleaseManifest = withCanary(undefined, 'mfe_catalog', v2, 100, dist);
    writeReleaseManifest(manifestPath, manifest);
    const first = await shell.inject('/remotes.json');
    const cookie = cookieOf(first.headers['set-cookie']);
    expect(first.json().remotes[0]).toEqual({ name: 'mfe_catalog', ...v2 });
    writeReleaseManifest(manifestPath, withoutCanary(manifest, 'mfe_catalog', 'v2', 'failing'));
    expect((await shell.inject({ url: '/remotes.json', headers: { cookie } })).json().remotes[0]).toEqual({ name: 'mfe_catalog', ...dist });
  });
});

describe('releasesConfigFromEnv', () => {
  it('has defaults and names a bad variable', () => {
    expect(releasesConfigFromEnv({}, new URL('file:///repo/.cache/releases/manifest.json'))).toEqual({
      manifestPath: '/repo/.cache/releases/manifest.json',
      checkIntervalMs: 5000,
      minSessions: 10,
      errorMargin: 0.05,
    });
    expect(() => releasesConfigFromEnv({ RELEASE_MIN_SESSIONS: '0' }, new URL('file:///m'))).toThrow(/^RELEASE_MIN_SESSIONS must be/);
    expect(() => releasesConfigFromEnv({ RELEASE_ERROR_MARGIN: '5' }, new URL('file:///m'))).toThrow(/^RELEASE_ERROR_MARGIN must be/);
    expect(() => releasesConfigFromEnv({ RELEASE_CHECK_INTERVAL_MS: 'soon' }, new URL('file:///m'))).toThrow(/^RELEASE_CHECK_INTERVAL_MS must be/);
  });
});
