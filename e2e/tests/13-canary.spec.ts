import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { readReleaseManifest } from '@shop/frontend-server/release-manifest';

// Releases a canary of the catalog fragment with `npm run release` into the release manifest and folder
// the suite's shell and fragment server use (the defaults, under the repository's .cache/releases), and
// puts both back afterwards, so the specs after this one see the catalog as before.
test.describe.configure({ mode: 'serial' });

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = `${REPO}.cache/releases/manifest.json`;
const canary = `e2e-${Date.now().toString(36)}`;
const releaseDir = `${REPO}.cache/releases/mfe-catalog/${canary}`;
const manifestBefore = existsSync(MANIFEST) ? readFileSync(MANIFEST, 'utf8') : undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await promisify(execFile)('npm', ['run', 'release', '--', 'mfe-catalog', '--canary', '50', '--version', canary], { cwd: REPO });
});

test.afterAll(() => {
  if (manifestBefore === undefined) rmSync(MANIFEST, { force: true });
  else writeFileSync(MANIFEST, manifestBefore);
  rmSync(releaseDir, { recursive: true, force: true });
});

/** The catalog build this page shows (its "Catalog release …" line) and the version its `/remotes.json` names. */
async function catalogOf(page: Page): Promise<{ shown: string; version: string }> {
  const line = page.getByText(/^Catalog release /);
  // Generous: four fresh browsers' first pages at once on a busy two-core CI machine took more than 10 s
  // (one script took Chromium 10 s there); this spec checks which version is served, not how fast.
  await expect(line).toBeVisible({ timeout: 25_000 });
  await expect(page.getByRole('article').first()).toBeVisible();
  const shown = (await line.textContent())!.replace('Catalog release ', '');
  const remotes = (await (await page.context().request.get('/remotes.json')).json()) as { remotes: { name: string; version?: string }[] };
  return { shown, version: remotes.remotes.find((r) => r.name === 'mfe_catalog')!.version! };
}

test('Canary at 50%: across twenty fresh browser contexts both versions are served, each composed on the server by its own build, and each context keeps its version when it reloads', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const versions: string[] = [];
  /** One browser per version it was given: its release cookie, and the release its page showed. */
  const browsers = new Map<string, { shown: string; releaseId: string }>();
  const visit = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto('/');
      const first = await catalogOf(page);
      // The page shows the build /remotes.json names: the canary's own, or stable's (the fragment's dist).
      expect(first.version === canary ? first.shown === canary : first.version === 'dist' && first.shown !== canary, JSON.stringify(first)).toBe(true);
      browsers.set(first.version, { shown: first.shown, releaseId: (await context.cookies()).find((c) => c.name === 'shop_release')!.value });
      await page.reload();
      expect(await catalogOf(page)).toEqual(first);
      versions.push(first.version);
    } finally {
      await context.close();
    }
  };
  // Twenty fresh browsers, four at a time (each its own context: its own cookies).
  for (let batch = 0; batch < 5; batch++) await Promise.all(Array.from({ length: 4 }, visit));
  expect(new Set(versions)).toEqual(new Set(['dist', canary]));
  // Each page composed on the server by the build its browser is on: the first HTML already holds that
  // build's tiles and release line (the canary's own server render, not stable's, nor none). Asked one
  // at a time and a few times: a render past the shell's budget (the canary's bundle is loaded on its
  // first page) goes out without, by design. (React's server render puts `<!-- -->` between the texts.)
  for (const [version, { shown, releaseId }] of browsers) {
    const firstHtml = async () => (await request.get('/', { headers: { cookie: `shop_release=${releaseId}` } })).text();
    await expect.poll(firstHtml, { message: `first HTML of a ${version} page`, timeout: 15_000 }).toContain(`Catalog release <!-- -->${shown}<`);
    expect(await firstHtml()).toMatch(/<article\b/);
  }
  // As healthy as stable: the shell's canary watch (every RELEASE_CHECK_INTERVAL_MS, 1000 here) keeps it.
  await new Promise((r) => setTimeout(r, 3000));
  expect(readReleaseManifest(MANIFEST)?.fragments.mfe_catalog?.canary?.version).toBe(canary);
});
