import { expect, test, type Response } from '@playwright/test';

/**
 * The catalog's first load, as a phone on a slow network would pay for it: React and its router once, all text
 * compressed, and at most three requests in a chain before the first product's text (the document,
 * what it preloads, what that asks for), as the browser's own Resource Timing records it. The shell's
 * page carries what would otherwise be found one round trip at a time: every script as a preload, the
 * remotes, the first page's data and the session as JSON data blocks, and, composed on the server, the
 * first screen itself. The chain is reported with the test.
 */

/** A string only react-dom's client build carries (its fiber key on DOM nodes): one per copy downloaded. */
const REACT_DOM_CLIENT_MARK = '__reactFiber$';
/** A string every react-router build carries (`<Link>` outside a router): one per copy downloaded. */
const ROUTER_MARK = 'may be used only in the context of a <Router>';
/** Carried only by the whole react-router, not by the shared container of the names the apps use. */
const WHOLE_ROUTER_MARK = 'createBrowserRouter';
const TEXT_TYPES = /^(text\/html|text\/css|(text|application)\/javascript)\b/;

interface Timing {
  name: string;
  startTime: number;
  responseEnd: number;
}

/**
 * The longest chain among `entries` (the document first): a request depends on every request that
 * had ended before it started, the document included, and a chain is a run of such dependencies.
 * A request that started before the document ended, or whose URL the document names (`announced`: its
 * `src` and `href` attributes), is counted one deeper than the document all the same: the browser could
 * find it there, however late a busy browser got round to asking for it.
 */
function longestChain(document: Timing, entries: readonly Timing[], announced: ReadonlySet<string>): { length: number; chain: string[] } {
  const sorted = [...entries].sort((a, b) => a.startTime - b.startTime);
  const depth = new Map<Timing, { length: number; chain: string[] }>([[document, { length: 1, chain: [document.name] }]]);
  for (const entry of sorted) {
    // Sorted by start, so whatever ended before this one started is in the map already.
    let best = depth.get(document)!;
    for (const [earlier, d] of announced.has(entry.name) ? [] : depth) {
      if (earlier !== document && earlier.responseEnd <= entry.startTime && d.length > best.length) best = d;
    }
    depth.set(entry, { length: best.length + 1, chain: [...best.chain, entry.name] });
  }
  return [...depth.values()].reduce((a, b) => (b.length > a.length ? b : a));
}

test('the catalog page loads React once and compressed, with at most three requests in a chain before the first product', async ({ browser }) => {
  // A fresh context: nothing cached, no cookie, as a first visit.
  const context = await browser.newContext();
  const page = await context.newPage();
  // The moment the first tile's name is in the document, on the page's own clock (performance.now()).
  await page.addInitScript(() => {
    const seen = () => {
      const name = document.querySelector('article h2')?.textContent?.trim();
      if (name) {
        (window as unknown as { __firstTileAt?: number }).__firstTileAt ??= performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(seen);
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });

  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));

  await page.goto('/');
  const firstTile = page.getByRole('article').first();
  await expect(firstTile.getByRole('heading')).not.toBeEmpty();
  // Everything the page started for its first screen has arrived (the cart's button too).
  await expect(firstTile.getByRole('button', { name: 'Add to cart' })).toBeVisible();
  await expect(page).toHaveTitle('All products — Storefront');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /\w{3,}/);

  // React once: one response carries react-dom's client, counted in bytes.
  const reactDom: { url: string; bytes: number }[] = [];
  const routers: { url: string; whole: boolean }[] = [];
  for (const response of responses) {
    if (response.request().resourceType() !== 'script' || response.status() !== 200) continue;
    const body = await response.body().catch(() => undefined);
    if (body?.includes(REACT_DOM_CLIENT_MARK)) reactDom.push({ url: response.url(), bytes: body.length });
    if (body?.includes(ROUTER_MARK)) routers.push({ url: response.url(), whole: body.includes(WHOLE_ROUTER_MARK) });
  }
  const reactDomBytes = reactDom.reduce((sum, r) => sum + r.bytes, 0);
  expect(reactDom, `react-dom downloaded ${reactDom.length} times, ${reactDomBytes} bytes`).toHaveLength(1);
  expect(reactDomBytes).toBe(reactDom[0]?.bytes);
  // The router once too, and as the shell's container of the names the apps use, not the whole package: a
  // fragment sharing it otherwise would pull a second copy (or the whole one) and split the router context.
  expect(routers.map((r) => (r.whole ? 'whole' : 'container')), `react-router downloaded from ${routers.map((r) => r.url).join(', ')}`).toEqual(['container']);

  // No text goes uncompressed: every HTML, CSS and JavaScript response names its encoding.
  const uncompressed: string[] = [];
  for (const response of responses) {
    if (response.status() !== 200) continue;
    const headers = await response.allHeaders();
    if (TEXT_TYPES.test(headers['content-type'] ?? '') && !/^(br|gzip|zstd|deflate)$/.test(headers['content-encoding'] ?? '')) {
      uncompressed.push(`${response.url()} (${headers['content-type']})`);
    }
  }
  expect(uncompressed, 'text sent without Content-Encoding').toEqual([]);

  // The chain before the first tile's text, from the browser's Resource Timing.
  const timings = await page.evaluate(() => {
    const pick = (e: PerformanceResourceTiming) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd });
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return {
      firstTileAt: (window as unknown as { __firstTileAt?: number }).__firstTileAt,
      document: navigation ? { ...pick(navigation), startTime: 0 } : undefined,
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(pick),
    };
  });
  expect(timings.firstTileAt, 'the first tile was seen appearing').toBeDefined();
  expect(timings.document).toBeDefined();
  // The fragments' mount reports (keepalive POSTs a fragment sends once it is on screen) are telemetry that no
  // content waits for: one sent by the mini-cart can end before the first tile and lengthen no real chain.
  const before = timings.resources.filter((r) =>
    r.responseEnd > 0 && r.responseEnd <= (timings.firstTileAt ?? 0) && new URL(r.name).pathname !== '/api/fragment-reports');
  // What the document names (its preloads, scripts, stylesheets, images), as absolute URLs.
  const html = await responses.find((r) => r.request().resourceType() === 'document')!.text();
  const announced = new Set([...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => new URL(url!.replaceAll('&amp;', '&'), timings.document!.name).href));
  const { length, chain } = longestChain(timings.document!, before, announced);
  test.info().annotations.push({ type: 'request chain before the first tile', description: `${length}: ${chain.join(' → ')}` });
  // Document → its preloads → at most one request they make: never a request found only in an answer to one.
  expect(length, `request chain before the first tile: ${chain.join(' → ')}`).toBeLessThanOrEqual(3);

  await context.close();
});

test('the server composes the first screen: products without JavaScript, then the fragment takes over in place', async ({ browser }) => {
  // Without JavaScript, the page the servers composed: the shell's layout around the catalog's own HTML.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto('/?query=chef');
  const knife = plain.getByRole('article', { name: 'Chef Knife' });
  await expect(knife.getByRole('heading', { name: 'Chef Knife' })).toBeVisible();
  await expect(knife.getByTestId('price')).toHaveText(/€\d+\.\d\d/);
  await expect(knife.getByRole('link', { name: 'Chef Knife' })).toHaveAttribute('href', '/products/KIT-0001');
  await expect(plain.getByRole('link', { name: 'Storefront' })).toBeVisible();
  await noScript.close();

  // With it: the same page hydrates without a mismatch, and the fragment's module hydrates its first
  // screen: the very elements the server sent stay, nothing moves.
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    // The first tile as the parser made it from the server's HTML.
    const seen = new MutationObserver(() => {
      const tile = document.querySelector('article[data-sku]');
      if (tile) {
        (window as unknown as { __serverTile: Element }).__serverTile = tile;
        seen.disconnect();
      }
    });
    seen.observe(document, { childList: true, subtree: true });
    (window as unknown as { __shifts: number }).__shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) (window as unknown as { __shifts: number }).__shifts += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('/?query=chef');
  const tile = page.getByRole('article', { name: 'Chef Knife' });
  await expect(tile.getByRole('button', { name: 'Add to cart' })).toBeVisible(); // every fragment has loaded
  await expect(tile.getByRole('heading', { name: 'Chef Knife' })).toBeVisible();
  // Hydrated, not replaced: the tile on screen is the element the server's HTML made.
  expect(await page.evaluate(() => document.querySelector('article[data-sku]') === (window as unknown as { __serverTile?: Element }).__serverTile)).toBe(true);
  expect(errors, 'console errors (a hydration mismatch is one)').toEqual([]);
  // Cumulative layout shift under 0.1, what Core Web Vitals call good.
  expect(await page.evaluate(() => (window as unknown as { __shifts: number }).__shifts)).toBeLessThan(0.1);
  await context.close();
});
