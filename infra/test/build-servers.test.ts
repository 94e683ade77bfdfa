import { execFileSync } from 'node:child_process';
import { rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, builtEntry, serverNeedsBuild } from '../src/launcher/build-servers.ts';

const fixtureDir = fileURLToPath(new URL('./fixtures/built-server/', import.meta.url));
const part = { name: `test-built-server-${process.pid}`, dir: 'infra/test/fixtures/built-server', entry: 'main.ts' };

describe('buildServer', () => {
  afterAll(() => rmSync(path.dirname(builtEntry(part)), { recursive: true, force: true }));

  it('bundles a server with the workspaces it imports into JavaScript that plain node runs', async () => {
    expect(serverNeedsBuild(part)).toBe(true);
    await buildServer(part);
    const out = JSON.parse(execFileSync(process.execPath, [builtEntry(part)], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }));
    // import.meta.url stays the source file's, so paths made from it (migrations, dist/) still point there.
    expect(path.resolve(out.here)).toBe(path.resolve(fixtureDir));
    expect(out.status).toBe('low');
    expect(out.loaders).toEqual([]);
  });

  it('builds again once a file it was built from changed', async () => {
    await buildServer(part);
    expect(serverNeedsBuild(part)).toBe(false);
    const later = Date.now() / 1000 + 5;
    const where = path.join(fixtureDir, 'where.ts');
    utimesSync(where, later, later);
    expect(serverNeedsBuild(part)).toBe(true);
    const now = Date.now() / 1000;
    utimesSync(where, now, now);
  });
});
