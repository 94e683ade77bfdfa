import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { needsBuild } from '../src/launcher/build.ts';

const liveClientSource = fileURLToPath(new URL('../../live-client/src/live-client.ts', import.meta.url));
const hourAgo = Date.now() / 1000 - 3_600;

/** A front-end app whose build is newer than its sources. */
function builtApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'needs-build-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'main.tsx'), 'export {};\n');
  utimesSync(path.join(dir, 'src', 'main.tsx'), hourAgo, hourAgo);
  utimesSync(path.join(dir, 'src'), hourAgo, hourAgo);
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'mf-manifest.json'), '{}');
  return dir;
}

describe('needsBuild', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('builds an app without a build, or whose own sources changed since', () => {
    const dir = builtApp();
    dirs.push(dir);
    expect(needsBuild(dir)).toBe(false);
    writeFileSync(path.join(dir, 'src', 'main.tsx'), 'export const changed = 1;\n');
    // Later than the build for sure: two writes in a row can get the same timestamp (the kernel's clock is coarse).
    const builtAt = statSync(path.join(dir, 'dist', 'mf-manifest.json')).mtimeMs / 1000;
    utimesSync(path.join(dir, 'src', 'main.tsx'), builtAt + 1, builtAt + 1);
    expect(needsBuild(dir)).toBe(true);
    rmSync(path.join(dir, 'dist'), { recursive: true });
    expect(needsBuild(dir)).toBe(true);
  });

  it('builds an app that makes a server-render bundle when that bundle is missing (a build from before)', () => {
    const dir = builtApp();
    dirs.push(dir);
    writeFileSync(path.join(dir, 'vite.ssr.config.ts'), 'export default {};\n');
    utimesSync(path.join(dir, 'vite.ssr.config.ts'), hourAgo, hourAgo);
    expect(needsBuild(dir)).toBe(true);
    mkdirSync(path.join(dir, 'dist-ssr'));
    writeFileSync(path.join(dir, 'dist-ssr', 'server-render.js'), 'export {};\n');
    expect(needsBuild(dir)).toBe(false);
  });

  it('rebuilds every app when the live client they all bundle changed since their build', () => {
    const dir = builtApp();
    dirs.push(dir);
    const { atime, mtime } = statSync(liveClientSource);
    const builtAt = statSync(path.join(dir, 'dist', 'mf-manifest.json')).mtimeMs / 1000;
    try {
      utimesSync(liveClientSource, atime, builtAt - 60);
      expect(needsBuild(dir)).toBe(false);
      utimesSync(liveClientSource, atime, builtAt + 60);
      expect(needsBuild(dir)).toBe(true);
    } finally {
      utimesSync(liveClientSource, atime, mtime);
    }
  });
});
