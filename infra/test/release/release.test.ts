import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readReleaseManifest } from '@shop/frontend-server/release-manifest';
import { repoRoot } from '../../src/parts.ts';
import { promote, releaseCanary, type BuildFragment, type ReleasePaths } from '../../src/release/release.ts';

const roots: string[] = [];
function freshPaths(): ReleasePaths {
  const releasesRoot = mkdtempSync(path.join(tmpdir(), 'releases-'));
  roots.push(releasesRoot);
  return { releasesRoot, manifestPath: path.join(releasesRoot, 'manifest.json') };
}
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const provided = { react: '19.3.1', 'react-dom': '19.3.1' };
/** A build as Vite leaves it, less everything the guard does not read, needing `react` as given. */
const fakeBuild =
  (reactRange: string): BuildFragment =>
  async (_fragment, outDir) => {
    mkdirSync(path.join(outDir, 'assets'), { recursive: true });
    writeFileSync(
      path.join(outDir, 'mf-manifest.json'),
      JSON.stringify({ shared: [{ name: 'react', singleton: true, requiredVersion: reactRange }, { name: 'react-dom', singleton: true, requiredVersion: reactRange }] }),
    );
  };

describe('releaseCanary', () => {
  it("publishes a build in a folder of its own and records it as canary, the fragment's dist as stable", async () => {
    const paths = freshPaths();
    const build = await releaseCanary({ fragment: 'mfe_catalog', percent: 20, version: 'v1', paths, provided, build: fakeBuild('^19.0.0') });
    expect(build).toEqual({ version: 'v1', entry: 'http://localhost:3001/releases/v1/mf-manifest.json', percent: 20 });
    expect(existsSync(path.join(paths.releasesRoot, 'mfe-catalog', 'v1', 'mf-manifest.json'))).toBe(true);
    expect(readdirSync(path.join(paths.releasesRoot, 'mfe-catalog'))).toEqual(['v1']);
    expect(readReleaseManifest(paths.manifestPath)!.fragments.mfe_catalog).toMatchObject({
      stable: { version: 'dist', entry: 'http://localhost:3001/mf-manifest.json' },
      canary: { version: 'v1', percent: 20 },
    });
    await expect(releaseCanary({ fragment: 'mfe-catalog', percent: 20, version: 'v1', paths, provided, build: fakeBuild('^19.0.0') })).rejects.toThrow(
      'mfe_catalog v1 is already released',
    );
  });

  it('refuses a build needing another React major, naming both versions, and publishes nothing', async () => {
    const paths = freshPaths();
    await expect(releaseCanary({ fragment: 'mfe-catalog', percent: 20, version: 'old', paths, provided, build: fakeBuild('^18.2.0') })).rejects.toThrow(
      'refused: mfe_catalog needs react ^18.2.0 but the shell provides 19.3.1; mfe_catalog needs react-dom ^18.2.0 but the shell provides 19.3.1. Nothing was released.',
    );
    expect(existsSync(paths.manifestPath)).toBe(false);
    expect(readdirSync(path.join(paths.releasesRoot, 'mfe-catalog'))).toEqual([]);
  });
});

/** `npm run release -- …args` against `paths`: its exit code and what it printed. */
async function release(paths: ReleasePaths, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/src/release/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, RELEASES_ROOT: paths.releasesRoot, RELEASE_MANIFEST: paths.manifestPath },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('npm run release, given what it cannot do', () => {
  it('says what is wrong, exits 2 and changes nothing', async () => {
    const paths = freshPaths();
    // A manifest with a stable build and nothing before it, no canary.
    await releaseCanary({ fragment: 'mfe_cart', percent: 10, version: 'c1', paths, provided, build: fakeBuild('^19.0.0') });
    promote('mfe_cart', paths);
    const before = readFileSync(paths.manifestPath, 'utf8');
    const cases: [string[], RegExp][] = [
      [['mfe-shoes', '--canary', '10'], /unknown fragment "mfe-shoes": known are mfe-catalog, mfe-cart/],
      [['mfe-catalog', '--canary', '0'], /--canary takes a whole number of percent from 1 to 100, got "0"/],
      [['mfe-catalog', '--canary', '101'], /from 1 to 100, got "101"/],
      [['mfe-catalog', '--canary', 'half'], /from 1 to 100, got "half"/],
      [['mfe-catalog', '--promote'], /mfe_catalog has no releases yet/],
      [['mfe-cart', '--promote'], /mfe_cart has no canary to promote \(stable is c1\)/],
      [['mfe-catalog', '--rollback'], /mfe_catalog has no releases yet/],
      [['mfe-cart', '--promote', '--rollback'], /exactly one of/],
      [['mfe-cart', '--promote', '--version', 'c9'], /--version names a new build: it goes with --canary/],
    ];
    for (const [args, message] of cases) {
      const result = await release(paths, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(readFileSync(paths.manifestPath, 'utf8')).toBe(before);
    expect(readdirSync(paths.releasesRoot).sort()).toEqual(['manifest.json', 'mfe-cart']);

    // Rolled back once to its dist, mfe_cart has nothing earlier left.
    expect(await release(paths, 'mfe_cart', '--rollback')).toEqual({ code: 0, stderr: '' });
    const rolledBack = readFileSync(paths.manifestPath, 'utf8');
    const again = await release(paths, 'mfe_cart', '--rollback');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch('mfe_cart has no previous stable version to roll back to (stable is dist)');
    expect(readFileSync(paths.manifestPath, 'utf8')).toBe(rolledBack);
  }, 120_000);
});
