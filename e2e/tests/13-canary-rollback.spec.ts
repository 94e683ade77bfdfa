import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readReleaseManifest } from '@shop/frontend-server/release-manifest';
import { releaseCanary, releasePathsFromEnv, type BuildFragment } from '@shop/infra/release/release';
import { shellProvidedVersions } from '@shop/infra/release/shared-guard';

// A canary of the catalog fragment that throws while rendering (built here, for this test only: a Vite
// plugin of the test's own rewrites the exposed page; nothing in the product can make it throw) is
// released to every browser. Needs the shell's error reports and bff-web's
// GET /api/fragment-reports/summary, which count the sessions that saw it fail. The suite's shell checks
// every RELEASE_CHECK_INTERVAL_MS (1000 in playwright.config.ts) and judges a canary from
// RELEASE_MIN_SESSIONS (10, the default) sessions on.
test.describe.configure({ mode: 'serial' });

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const paths = releasePathsFromEnv({});
const MIN_SESSIONS = 10;
const CHECK_INTERVAL_MS = 1000;
const faulty = `e2e-faulty-${Date.now().toString(36)}`;
const workDir = path.join(REPO, '.cache', `e2e-${faulty}`);
const manifestBefore = existsSync(paths.manifestPath) ? readFileSync(paths.manifestPath, 'utf8') : undefined;

/** mfe-catalog's own build, plus a plugin that makes its exposed catalog page throw as it renders. */
const throwingBuild: BuildFragment = async (fragment, outDir, { version, base }) => {
  mkdirSync(workDir, { recursive: true });
  const config = path.join(workDir, 'vite.config.ts');
  const entry = 'export default function CatalogPageEntry() {';
  writeFileSync(
    config,
    `import config from ${JSON.stringify(path.join(REPO, fragment.workspace, 'vite.config.ts'))};
const throwWhileRendering = {
  name: 'e2e-throw-while-rendering',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!id.endsWith('/src/app/expose/catalog-page.tsx')) return undefined;
    if (!code.includes(${JSON.stringify(entry)})) throw new Error('the catalog page entry moved: update the e2e plugin');
    return code.replace(${JSON.stringify(entry)}, ${JSON.stringify(`${entry}\n  throw new Error('e2e: this canary build throws while rendering');`)});
  },
};
export default { ...config, plugins: [...(config.plugins ?? []), throwWhileRendering] };
`,
  );
  await promisify(execFile)('npx', ['vite', 'build', '--config', config, '--configLoader', 'runner', '--outDir', outDir, '--emptyOutDir', '--base', base], {
    cwd: path.join(REPO, fragment.workspace),
    env: { ...process.env, VITE_RELEASE: version },
    maxBuffer: 64 * 1024 * 1024,
  });
};

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await releaseCanary({
    fragment: 'mfe-catalog',
    percent: 100,
    version: faulty,
    paths,
    provided: shellProvidedVersions(REPO, 'shell', ['react', 'react-dom', 'react-router', '@tanstack/react-query', '@shop/live-client']),
    build: throwingBuild,
  });
});

test.afterAll(() => {
  if (manifestBefore === undefined) rmSync(paths.manifestPath, { force: true });
  else writeFileSync(paths.manifestPath, manifestBefore);
  rmSync(path.join(paths.releasesRoot, 'mfe-catalog', faulty), { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

const canaryOf = () => readReleaseManifest(paths.manifestPath)?.fragments.mfe_catalog?.canary?.version;

/** A fresh browser on the home page, seeing the faulty canary's fallback. */
async function failingSession(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await expect(page.getByText('The catalog is unavailable right now.')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  return page;
}

test('a canary that throws while rendering is rolled back once enough sessions saw it, and its sessions get stable again', async ({ browser }) => {
  test.setTimeout(240_000);
  const first = await failingSession(browser);
  for (let i = 1; i < MIN_SESSIONS - 1; i++) await (await failingSession(browser)).context().close();
  // One session short of the minimum: kept, however badly it does.
  await new Promise((r) => setTimeout(r, 3 * CHECK_INTERVAL_MS));
  expect(canaryOf()).toBe(faulty);

  await (await failingSession(browser)).context().close();
  await expect.poll(canaryOf, { timeout: 30_000 }).toBeUndefined();
  const history = readReleaseManifest(paths.manifestPath)!.fragments.mfe_catalog!.history;
  expect(history.at(-1)).toMatchObject({
    action: 'canary-dropped',
    version: faulty,
    reason: expect.stringMatching(new RegExp(`^automatic rollback: canary ${faulty} failed in \\d+ of \\d+ sessions \\(\\d+\\.\\d%\\), stable dist`)),
  });

  // The first browser, on its next navigation, and a new one: stable.
  await first.reload();
  await expect(first.getByRole('article').first()).toBeVisible();
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto('/');
  await expect(fresh.getByRole('article').first()).toBeVisible();
  const remotes = (await (await fresh.context().request.get('/remotes.json')).json()) as { remotes: { name: string; version?: string }[] };
  expect(remotes.remotes.find((r) => r.name === 'mfe_catalog')!.version).toBe('dist');
  await Promise.all([first.context().close(), fresh.context().close()]);
});
