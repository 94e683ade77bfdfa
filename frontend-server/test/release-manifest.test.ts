import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseReleaseManifest,
  readReleaseManifest,
  ReleaseError,
  withCanary,
  withoutCanary,
  withPromotion,
  withRollback,
  writeReleaseManifest,
  type ReleaseManifest,
} from '../src/release-manifest.ts';

const dist = { version: 'dist', entry: 'http://localhost:3001/mf-manifest.json' };
const build = (version: string) => ({ version, entry: `http://localhost:3001/releases/${version}/mf-manifest.json` });
const now = new Date('2026-11-30T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'release-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('release manifest transitions', () => {
  it('a first canary keeps the unreleased build as stable; promote makes it stable; rollback returns to the build before', () => {
    const canary = withCanary(undefined, 'mfe_catalog', build('v1'), 25, dist, now);
    expect(canary.fragments.mfe_catalog).toMatchObject({ stable: dist, canary: { ...build('v1'), percent: 25, since: now.toISOString() }, previous: [] });

    const promoted = withPromotion(canary, 'mfe_catalog', now);
    expect(promoted.fragments.mfe_catalog).toMatchObject({ stable: build('v1'), previous: [dist] });
    expect(promoted.fragments.mfe_catalog!.canary).toBeUndefined();

    const next = withCanary(promoted, 'mfe_catalog', build('v2'), 50, dist, now);
    const back = withRollback(next, 'mfe_catalog', now);
    expect(back.fragments.mfe_catalog).toMatchObject({ stable: dist, previous: [] });
    expect(back.fragments.mfe_catalog!.canary).toBeUndefined();
    expect(back.fragments.mfe_catalog!.history.map((e) => e.action)).toEqual(['canary', 'promote', 'canary', 'rollback']);
    expect(back.fragments.mfe_catalog!.history.at(-1)!.reason).toBe('rolled back from v1, canary v2 dropped');
  });

  it('leaves other fragments alone', () => {
    const cart = withCanary(undefined, 'mfe_cart', build('c1'), 10, dist, now);
    const both = withCanary(cart, 'mfe_catalog', build('v1'), 10, dist, now);
    expect(both.fragments.mfe_cart).toEqual(cart.fragments.mfe_cart);
  });

  it.each([0, 101, 12.5, Number.NaN])('refuses a canary share of %s', (percent) => {
    expect(() => withCanary(undefined, 'mfe_catalog', build('v1'), percent, dist)).toThrow(/whole number of percent from 1 to 100/);
  });

  it('refuses a version released before, promoting with no canary, rolling back with no previous build', () => {
    const canary = withCanary(undefined, 'mfe_catalog', build('v1'), 25, dist, now);
    expect(() => withCanary(canary, 'mfe_catalog', build('v1'), 25, dist)).toThrow('mfe_catalog v1 is already released');
    expect(() => withPromotion(undefined, 'mfe_catalog')).toThrow(/has no releases yet/);
    expect(() => withPromotion(withPromotion(canary, 'mfe_catalog'), 'mfe_catalog')).toThrow('mfe_catalog has no canary to promote (stable is v1)');
    const stableOnly = withPromotion(withCanary(undefined, 'mfe_cart', build('c1'), 25, dist), 'mfe_cart');
    const droppedToDist = withRollback(stableOnly, 'mfe_cart');
    expect(() => withRollback(droppedToDist, 'mfe_cart')).toThrow('mfe_cart has no previous stable version to roll back to (stable is dist)');
    expect(() => withRollback(droppedToDist, 'mfe_cart')).toThrow(ReleaseError);
  });

  it("rolls back a fragment's first canary: nothing earlier to return to, but the canary is dropped", () => {
    const canary = withCanary(undefined, 'mfe_catalog', build('v1'), 25, dist, now);
    const back = withRollback(canary, 'mfe_catalog', now).fragments.mfe_catalog!;
    expect(back).toMatchObject({ stable: dist, previous: [] });
    expect(back.canary).toBeUndefined();
    expect(back.history.at(-1)).toEqual({ at: now.toISOString(), action: 'rollback', version: 'dist', reason: 'canary v1 dropped, stable dist kept' });
  });

  it('drops a canary with its reason, but not one replaced meanwhile', () => {
    const canary = withCanary(undefined, 'mfe_catalog', build('v1'), 25, dist, now);
    const dropped = withoutCanary(canary, 'mfe_catalog', 'v1', 'failed a lot', now);
    expect(dropped.fragments.mfe_catalog!.canary).toBeUndefined();
    expect(dropped.fragments.mfe_catalog!.stable).toEqual(dist);
    expect(dropped.fragments.mfe_catalog!.history.at(-1)).toEqual({ at: now.toISOString(), action: 'canary-dropped', version: 'v1', reason: 'failed a lot' });
    expect(withoutCanary(canary, 'mfe_catalog', 'v0', 'stale decision')).toBe(canary);
  });
});

describe('release manifest file', () => {
  it('is written whole and read back; no file is no manifest', () => {
    const path = join(dir, 'nested', 'manifest.json');
    expect(readReleaseManifest(path)).toBeUndefined();
    const manifest: ReleaseManifest = withCanary(undefined, 'mfe_catalog', build('v1'), 25, dist, now);
    writeReleaseManifest(path, manifest);
    expect(readReleaseManifest(path)).toEqual(manifest);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['manifest.json']); // no temporary file left
  });

  it('says what is wrong with a malformed file', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"fragments": {"mfe_catalog": {"stable": {"version": "../x", "entry": "http://a/m.json"}}}}');
    expect(() => readReleaseManifest(path)).toThrow(/fragments\.mfe_catalog\.stable\.version must match/);
    writeFileSync(path, '{"fragm');
    expect(() => readReleaseManifest(path)).toThrow(/is not JSON/);
  });

  it("refuses an entry on another host written as a path ('//host/…' is a network-path reference, not an absolute path)", () => {
    const withEntry = (entry: string) => ({ fragments: { mfe_cart: { stable: { version: 'v1', entry } } } });
    expect(() => parseReleaseManifest(withEntry('//evil.example/mf-manifest.json'))).toThrow(/fragments\.mfe_cart\.stable\.entry must be/);
    expect(() => parseReleaseManifest(withEntry('/\\evil.example/mf-manifest.json'))).toThrow(/entry must be/);
    expect(() => parseReleaseManifest(withEntry('javascript:alert(1)'))).toThrow(/entry must be/);
    expect(parseReleaseManifest(withEntry('/releases/v1/mf-manifest.json')).fragments.mfe_cart!.stable.entry).toBe('/releases/v1/mf-manifest.json');
  });
});
