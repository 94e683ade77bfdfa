import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withCanary, withoutCanary, writeReleaseManifest } from '../src/release-manifest.ts';
import { newReleaseCookie, RELEASE_COOKIE, releaseBucket, releaseIdFrom, resolveRemotes, watchReleaseManifest } from '../src/release-routing.ts';

const remotes = [
  { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' },
  { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
];
const dist = { version: 'dist', entry: 'http://localhost:3001/mf-manifest.json' };
const v2 = { version: 'v2', entry: 'http://localhost:3001/releases/v2/mf-manifest.json' };
const ids = Array.from({ length: 2000 }, (_, i) => `browser-${String(i).padStart(6, '0')}`);
const dir = mkdtempSync(join(tmpdir(), 'release-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('releaseBucket', () => {
  it('is the same for the same browser, fragment and version, and spreads browsers evenly over 0..100', () => {
    expect(releaseBucket('browser-1', 'mfe_catalog', 'v2')).toBe(releaseBucket('browser-1', 'mfe_catalog', 'v2'));
    const buckets = ids.map((id) => releaseBucket(id, 'mfe_catalog', 'v2'));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    const under10 = buckets.filter((b) => b < 10).length / ids.length;
    expect(under10).toBeGreaterThan(0.07);
    expect(under10).toBeLessThan(0.13);
  });
});

describe('resolveRemotes', () => {
  it('without a manifest gives the remotes unchanged, with no version', () => {
    expect(resolveRemotes(remotes, undefined, 'browser-1')).toEqual(remotes);
  });

  it('gives about the canary share of browsers the canary, each always the same, with the version; others stay as configured', () => {
    const manifest = withCanary(undefined, 'mfe_catalog', v2, 30, dist);
    const versions = ids.map((id) => resolveRemotes(remotes, manifest, id)[0]!.version);
    const share = versions.filter((v) => v === 'v2').length / ids.length;
    expect(share).toBeGreaterThan(0.26);
    expect(share).toBeLessThan(0.34);
    expect(ids.map((id) => resolveRemotes(remotes, manifest, id)[0]!.version)).toEqual(versions);
    const onCanary = ids[versions.indexOf('v2')]!;
    expect(resolveRemotes(remotes, manifest, onCanary)).toEqual([{ name: 'mfe_catalog', ...v2 }, remotes[1]]);
    // Dropped: the same browser is on stable.
    expect(resolveRemotes(remotes, withoutCanary(manifest, 'mfe_catalog', 'v2', 'bad'), onCanary)[0]).toEqual({ name: 'mfe_catalog', ...dist });
  });

  it('100% sends everyone to the canary', () => {
    const manifest = withCanary(undefined, 'mfe_catalog', v2, 100, dist);
    expect(ids.every((id) => resolveRemotes(remotes, manifest, id)[0]!.version === 'v2')).toBe(true);
  });
});

describe('release cookie', () => {
  it('is a random HttpOnly, SameSite=Lax id for the whole site, read back from the Cookie header', () => {
    const { id, setCookie } = newReleaseCookie(false);
    expect(setCookie).toMatch(new RegExp(`^${RELEASE_COOKIE}=${id}; Max-Age=\\d+; Path=/; HttpOnly; SameSite=Lax$`));
    expect(newReleaseCookie(true).setCookie).toContain('Secure');
    expect(newReleaseCookie(false).id).not.toBe(id);
    expect(releaseIdFrom(`sid=abc; ${RELEASE_COOKIE}=${id}`)).toBe(id);
    expect(releaseIdFrom(`${RELEASE_COOKIE}=<script>`)).toBeUndefined();
    expect(releaseIdFrom(undefined)).toBeUndefined();
  });
});

describe('watchReleaseManifest', () => {
  it('follows the file as it is written, removed, or broken (keeping the last good copy)', async () => {
    const path = join(dir, 'manifest.json');
    const errors: Error[] = [];
    const watch = watchReleaseManifest(path, (e) => errors.push(e));
    expect(await watch.current()).toBeUndefined();
    const first = withCanary(undefined, 'mfe_catalog', v2, 30, dist);
    writeReleaseManifest(path, first);
    expect(await watch.current()).toEqual(first);
    const second = withoutCanary(first, 'mfe_catalog', 'v2', 'bad');
    writeReleaseManifest(path, second);
    expect(await watch.current()).toEqual(second);
    writeFileSync(path, '{"broken');
    expect(await watch.current()).toEqual(second);
    expect(errors).toHaveLength(1);
    rmSync(path);
    expect(await watch.current()).toBeUndefined();
  });
});
