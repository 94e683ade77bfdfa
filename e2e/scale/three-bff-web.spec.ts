import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { instancePort } from '@shop/infra/launcher/balancer';
import { parts } from '@shop/infra/parts';
import { liveSocketsOn } from '@shop/infra/scale/live-sockets';
import { getStock, setStock } from '../support/admin.ts';
import { pidListeningOn } from '../support/bff-web.ts';
import { cartLink, markDocument, PASSWORD, register, stillSameDocument, uniqueEmail } from '../support/shopper.ts';

// Issue 11 in a real browser: three bff-web instances behind HAProxy (scale.config.ts starts them). Pages
// spread over all three; SIGKILL the one serving the signed-in page, and every page reconnects to another
// and shows the next stock change without a reload; the cart, the session and the sign-in survive.
const SKU = 'KIT-0002';
const NAME = 'Cast Iron Skillet';
const INSTANCES = 3;
const MAX_PAGES = 8; // opened until each instance serves at least one
const bffWeb = parts.find((p) => p.name === 'bff-web')!;
const instancePorts = Array.from({ length: INSTANCES }, (_, i) => instancePort(bffWeb, i + 1));

/** Live sockets on each instance (its `live_sockets` gauge); null for one that does not answer. */
const socketsPerInstance = () => Promise.all(instancePorts.map(liveSocketsOn));

const total = (counts: (number | null)[]) => counts.reduce<number>((sum, n) => sum + (n ?? 0), 0);

/**
 * Waits until the instances hold `expected` sockets in all and returns the index of the instance whose
 * count rose over `before` (the one serving the page just opened).
 */
async function instanceServingNewPage(before: (number | null)[], expected: number): Promise<number> {
  let counts: (number | null)[] = before;
  await expect.poll(async () => total((counts = await socketsPerInstance())), { timeout: 20_000 }).toBe(expected);
  const rose = counts.findIndex((n, i) => (n ?? 0) > (before[i] ?? 0));
  expect(rose, `an instance gained the page's socket: ${before.join('/')} → ${counts.join('/')}`).toBeGreaterThanOrEqual(0);
  return rose;
}

/** Whether `pid` descends from `ancestor` (/proc parent links): the instance is one this run's storefront started. */
function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p = pid; p > 1; ) {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (p === ancestor) return true;
  }
  return false;
}

async function openCatalog(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/?query=skillet');
  await expect(page.getByRole('article', { name: NAME }).getByRole('button', { name: 'Add to cart' })).toBeVisible();
  return page;
}

let original: number;
test.beforeAll(async () => {
  original = (await getStock(SKU)).available;
  await setStock(SKU, 20);
});
test.afterAll(async () => {
  await setStock(SKU, original);
});

test('SIGKILL of the instance serving a signed-in page: every page reconnects elsewhere, stays live; cart, session and sign-in survive', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const counts = await socketsPerInstance();
  expect(counts.every((n) => n !== null), `three bff-web instances answer on ${instancePorts.join(', ')}`).toBe(true);
  expect(total(counts)).toBe(0); // this run's own storefront: no other page is live on it

  // The shopper: a cart, then an account (registering signs in), then the catalog again.
  const shopper = await openCatalog(browser);
  const tile = (page: Page) => page.getByRole('article', { name: NAME });
  await tile(shopper).getByRole('button', { name: 'Add to cart' }).click();
  await expect(tile(shopper).getByText(`${NAME} is in your cart.`)).toBeVisible();
  const email = uniqueEmail('scale');
  await register(shopper, 'Ada Scales', email);
  await expect(cartLink(shopper, 1)).toBeVisible();
  // Leave for a blank page first, so the count below sees the catalog's new socket, not the old page's.
  await shopper.goto('about:blank');
  await expect.poll(async () => total(await socketsPerInstance()), { timeout: 20_000 }).toBe(0);
  await shopper.goto('/?query=skillet');
  await expect(tile(shopper).getByText('In stock')).toBeVisible();
  const served = [await instanceServingNewPage([0, 0, 0], 1)];

  // More pages (fresh browsers, guests) until each instance serves at least one.
  const pages = [shopper];
  while (new Set(served).size < INSTANCES) {
    expect(pages.length, `pages spread over all ${INSTANCES} instances within ${MAX_PAGES} pages: ${served.join(',')}`).toBeLessThan(MAX_PAGES);
    const before = await socketsPerInstance();
    pages.push(await openCatalog(browser));
    served.push(await instanceServingNewPage(before, pages.length));
  }
  for (const page of pages) await markDocument(page);

  // SIGKILL the instance serving the signed-in page: only a process this run's storefront started.
  const victim = instancePorts[served[0]!]!;
  const pid = pidListeningOn(victim);
  expect(pid, `a process listens on ${victim}`).toBeDefined();
  expect(descendsFrom(pid!, process.ppid), `pid ${pid} was started by this run's webServer`).toBe(true);
  process.kill(pid!, 'SIGKILL');

  // Every page reconnects, to the two others.
  await expect
    .poll(async () => {
      const now = await socketsPerInstance();
      return now[served[0]!] === null ? total(now) : -1;
    }, { timeout: 30_000 })
    .toBe(pages.length);

  // The next change reaches every page without a reload.
  await setStock(SKU, 3);
  for (const page of pages) {
    await expect(tile(page).getByText('Only 3 left')).toBeVisible({ timeout: 20_000 });
    expect(await stillSameDocument(page)).toBe(true);
  }

  // Cart, session and sign-in survived: the same document still shows them, and a reload too.
  await expect(shopper.getByRole('banner').getByRole('link', { name: 'Ada Scales', exact: true })).toBeVisible();
  await expect(cartLink(shopper, 1)).toBeVisible();
  await tile(shopper).getByRole('button', { name: 'Add to cart' }).click();
  await expect(cartLink(shopper, 2)).toBeVisible();
  await shopper.reload();
  await expect(shopper.getByRole('banner').getByRole('link', { name: 'Ada Scales', exact: true })).toBeVisible();
  await expect(cartLink(shopper, 2)).toBeVisible();

  // Signing out and in again works on the instances left.
  await shopper.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(cartLink(shopper, 0)).toBeVisible();
  await shopper.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click();
  const form = shopper.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(shopper.getByRole('banner').getByRole('link', { name: 'Ada Scales', exact: true })).toBeVisible();
  await expect(cartLink(shopper, 2)).toBeVisible();

  // And the page signed in anew is live too.
  await shopper.goto('/?query=skillet');
  await expect(tile(shopper).getByText('Only 3 left')).toBeVisible();
  await markDocument(shopper);
  await setStock(SKU, 1);
  await expect(tile(shopper).getByText('Only 1 left')).toBeVisible();
  expect(await stillSameDocument(shopper)).toBe(true);
});
