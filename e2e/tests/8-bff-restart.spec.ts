import { expect, test } from '@playwright/test';
import { getStock, setStock } from '../support/admin.ts';
import { BFF_WEB_PORT, startLike, stopBffWeb } from '../support/bff-web.ts';

// Restarts bff-web as a deploy does. The bff-web it starts in its place serves the specs after it and
// is stopped by the global teardown (support/own-processes.ts).
const SKU = 'KIT-0002'; // Cast Iron Skillet
let original: number;

test.beforeEach(async () => {
  original = (await getStock(SKU)).available;
  await setStock(SKU, 20);
});
test.afterEach(async () => {
  await setStock(SKU, original);
});

test('an open page reconnects after bff-web restarts, catches up on what it missed and shows live changes again', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/?query=skillet');
  const tile = page.getByRole('article', { name: 'Cast Iron Skillet' });
  await expect(tile.getByText('In stock')).toBeVisible();
  await expect(tile.getByRole('button', { name: 'Add to cart' })).toBeVisible(); // every fragment has loaded
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const loads: string[] = [];
  page.on('framenavigated', (frame) => loads.push(frame.url()));

  // A graceful shutdown closes the page's socket from the server's side ("io server disconnect").
  const launched = await stopBffWeb();
  // Made while no bff-web runs: no live event can carry it to the page, only its resync.
  await setStock(SKU, 3);
  await startLike(launched, `http://localhost:${BFF_WEB_PORT}/ready`);

  await expect(tile.getByText('Only 3 left')).toBeVisible({ timeout: 30_000 });
  expect(sockets.length).toBeGreaterThanOrEqual(1); // it reconnected on its own

  await setStock(SKU, 1);
  await expect(tile.getByText('Only 1 left')).toBeVisible();
  expect(loads).toEqual([]);
});
