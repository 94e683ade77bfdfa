import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MFE_CATALOG_DIR, buildFragment, startFragmentServer, stopServerOn } from '../support/fragment-server.ts';

// These tests stop mfe-catalog's server and deploy a new build of it, then stop mfe-cart's, so they
// run last and in order.
// The server they start in its place ends with the test run.
test.describe.configure({ mode: 'serial' });

const CATALOG_PORT = 3001;
const CART_PORT = 3002;
const candidateDir = mkdtempSync(path.join(tmpdir(), 'mfe-catalog-release-'));
const nextDir = mkdtempSync(path.join(tmpdir(), 'mfe-catalog-release-'));
let replacement: ChildProcess | undefined;

test.afterAll(() => {
  replacement?.kill();
  rmSync(candidateDir, { recursive: true, force: true });
  rmSync(nextDir, { recursive: true, force: true });
});

test('with the catalog fragment down, the shell keeps its header and cart link and shows a fallback', async ({ page }) => {
  await stopServerOn(CATALOG_PORT);

  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Storefront' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart (0)' })).toBeVisible();
  await expect(page.getByText('The catalog is unavailable right now.')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);

  await page.getByRole('link', { name: 'Cart (0)' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
});

test('a new build of the catalog fragment, deployed alone, shows up in the unchanged shell after a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const release = `e2e-${Date.now().toString(36)}`;
  await buildFragment(MFE_CATALOG_DIR, candidateDir, release);
  replacement = await startFragmentServer(MFE_CATALOG_DIR, CATALOG_PORT, candidateDir);

  await page.goto('/');
  await expect(page.getByText(`Catalog release ${release}`)).toBeVisible();
  await expect(page.getByRole('article').first()).toBeVisible();
});

test('a hung catalog fragment shows its fallback within the load budget, and "Try again" loads it once it answers', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const server = replacement!; // the test's own fragment server, never the launcher's
  const remotesFetches: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/remotes.json') remotesFetches.push(request.url());
  });
  // Paused, it still accepts connections but never answers them.
  server.kill('SIGSTOP');
  try {
    await page.goto('/');
    await expect(page.getByText('Loading the catalog…')).toBeVisible();
    // The budget is 8 s; the header does not wait for it.
    await expect(page.getByRole('link', { name: 'Cart (0)' })).toBeVisible();
    await expect(page.getByText('The catalog is unavailable right now.')).toBeVisible({ timeout: 15_000 });
  } finally {
    server.kill('SIGCONT');
  }
  const fetchesBeforeRetry = remotesFetches.length;

  await page.getByRole('alert').filter({ hasText: 'The catalog is unavailable right now.' }).getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect(page.getByText('The catalog is unavailable right now.')).toHaveCount(0);
  expect(remotesFetches.length).toBeGreaterThan(fetchesBeforeRetry); // a fresh /remotes.json, not the one from page load
});

test('an open tab whose catalog fragment was redeployed meanwhile recovers with "Try again", without a reload', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/?query=kettle');
  await expect(page.getByRole('article', { name: 'Electric Kettle' })).toBeVisible();
  await page.evaluate(() => Object.assign(window, { e2eSameDocument: true })); // lost on a reload

  // The next release replaces the files of the one this tab loaded: its product page chunk is gone.
  const release = `e2e-next-${Date.now().toString(36)}`;
  await buildFragment(MFE_CATALOG_DIR, nextDir, release);
  await stopServerOn(CATALOG_PORT); // the test's own server of the previous test
  replacement = await startFragmentServer(MFE_CATALOG_DIR, CATALOG_PORT, nextDir);

  await page.getByRole('article', { name: 'Electric Kettle' }).getByRole('link', { name: 'Electric Kettle' }).click();
  await expect(page.getByText('This product is unavailable right now.')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Electric Kettle' })).toBeVisible();
  await expect(page.getByText('This product is unavailable right now.')).toHaveCount(0);
  expect(await page.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
});

test('with the cart fragment down, tiles still show their products, without the button, and the header keeps a cart link', async ({ page }) => {
  await stopServerOn(CART_PORT);

  await page.goto('/?query=kettle');
  const tile = page.getByRole('article', { name: 'Electric Kettle' });
  await expect(tile).toBeVisible();
  await expect(tile.getByText(/^(In stock|Only \d left|Out of stock)$/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add to cart' })).toHaveCount(0);
});
