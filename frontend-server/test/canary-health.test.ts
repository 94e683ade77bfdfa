import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCanaries, decideCanary, type VersionSessions } from '../src/canary-health.ts';
import { readReleaseManifest, withCanary, writeReleaseManifest } from '../src/release-manifest.ts';

const policy = { minSessions: 10, errorMargin: 0.05 };
const v = (version: string, sessions: number, failedSessions: number): VersionSessions => ({ version, sessions, failedSessions });

describe('decideCanary', () => {
  it('keeps a canary that has fewer sessions than the minimum, however badly it does', () => {
    expect(decideCanary('v1', 'v2', [v('v1', 100, 0), v('v2', 9, 9)], policy)).toMatchObject({ action: 'keep' });
    expect(decideCanary('v1', 'v2', [v('v1', 100, 0)], policy)).toMatchObject({ action: 'keep', why: expect.stringContaining('0 of the 10 sessions') });
  });

  it('drops a canary failing more than the margin above stable, saying the rates and counts', () => {
    const decision = decideCanary('v1', 'v2', [v('v1', 40, 2), v('v2', 10, 6)], policy);
    expect(decision).toEqual({
      action: 'drop',
      reason: 'canary v2 failed in 6 of 10 sessions (60.0%), stable v1 in 2 of 40 (5.0%): more than 5.0% above stable',
    });
  });

  it('keeps a canary as healthy as stable, or within the margin', () => {
    expect(decideCanary('v1', 'v2', [v('v1', 40, 4), v('v2', 20, 2)], policy)).toMatchObject({ action: 'keep' });
    expect(decideCanary('v1', 'v2', [v('v1', 100, 10), v('v2', 20, 3)], policy)).toMatchObject({ action: 'keep' }); // 15% vs 10%: exactly the margin
    expect(decideCanary('v1', 'v2', [v('v1', 100, 10), v('v2', 20, 4)], policy)).toMatchObject({ action: 'drop' }); // 20% vs 10%
  });

  it('compares with 0% when stable has no sessions of its own', () => {
    expect(decideCanary('v1', 'v2', [v('v2', 10, 1)], policy)).toMatchObject({ action: 'drop', reason: expect.stringContaining('stable v1 in 0 of 0 (0.0%)') });
    expect(decideCanary('v1', 'v2', [v('v2', 10, 0)], policy)).toMatchObject({ action: 'keep' });
  });
});

describe('checkCanaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-health-'));
  const manifestPath = join(dir, 'manifest.json');
  const dist = { version: 'dist', entry: 'http://localhost:3001/mf-manifest.json' };
  const v2 = { version: 'v2', entry: 'http://localhost:3001/releases/v2/mf-manifest.json' };
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (_: object, msg: string) => void warnings.push(msg) };
  let summaries: Record<string, unknown> = {};
  let bff: FastifyInstance;
  let bffWebUrl: string;

  beforeAll(async () => {
    bff = Fastify();
    bff.get('/api/fragment-reports/summary', async (request, reply) => {
      const body = summaries[(request.query as { fragment: string }).fragment];
      return body ? body : reply.code(404).send({});
    });
    bffWebUrl = await bff.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await bff.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops a failing canary in the manifest with the reason, and keeps a healthy one', async () => {
    writeReleaseManifest(manifestPath, withCanary(withCanary(undefined, 'mfe_catalog', v2, 50, dist), 'mfe_cart', v2, 50, dist));
    summaries = {
      mfe_catalog: { fragment: 'mfe_catalog', versions: [v('dist', 30, 1), v('v2', 12, 9)] },
      mfe_cart: { fragment: 'mfe_cart', versions: [v('dist', 30, 3), v('v2', 12, 1)] },
    };
    expect(await checkCanaries({ ...policy, manifestPath, bffWebUrl, log })).toEqual(['mfe_catalog']);
    const manifest = readReleaseManifest(manifestPath)!;
    expect(manifest.fragments.mfe_catalog!.canary).toBeUndefined();
    expect(manifest.fragments.mfe_catalog!.history.at(-1)).toMatchObject({
      action: 'canary-dropped',
      version: 'v2',
      reason: expect.stringMatching(/^automatic rollback: canary v2 failed in 9 of 12 sessions \(75\.0%\), stable dist in 1 of 30/),
    });
    expect(manifest.fragments.mfe_cart!.canary?.version).toBe('v2');
  });

  it('keeps every canary while bff-web is down or answers nonsense', async () => {
    writeReleaseManifest(manifestPath, withCanary(undefined, 'mfe_catalog', v2, 50, dist));
    warnings.length = 0;
    expect(await checkCanaries({ ...policy, manifestPath, bffWebUrl: 'http://127.0.0.1:1', log, requestBudgetMs: 500 })).toEqual([]);
    summaries = { mfe_catalog: { nothing: true } };
    expect(await checkCanaries({ ...policy, manifestPath, bffWebUrl, log })).toEqual([]);
    expect(readReleaseManifest(manifestPath)!.fragments.mfe_catalog!.canary?.version).toBe('v2');
    expect(warnings).toEqual(['canary watch: bff-web did not answer; canary kept', 'canary watch: no usable fragment report summary; canary kept']);
  });

  it('does nothing without a manifest', async () => {
    expect(await checkCanaries({ ...policy, manifestPath: join(dir, 'none.json'), bffWebUrl, log })).toEqual([]);
  });
});
