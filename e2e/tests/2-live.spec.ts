import { expect, test } from '@playwright/test';
import { countNumberFormats, numberFormatsMade } from '../support/intl.ts';
import { getProduct, getStock, setPrice, setStock } from '../support/admin.ts';

// Chef Knife, put back as it was after each test.
const SKU = 'KIT-0001';
let original: { available: number; amount: number };

test.beforeEach(async () => {
  original = { available: (await getStock(SKU)).available, amount: (await getProduct(SKU)).price.amount };
  await setStock(SKU, 20);
});
test.afterEach(async () => {
  await setStock(SKU, original.available);
  await setPrice(SKU, original.amount);
});

// Latency is measured by `npm run bench`; these tests only require that changes arrive without a reload.
test.describe('live stock and prices', () => {
  test('a stock change turns the tile to "Only N left" and then "Out of stock" without a reload', async ({ page }) => {
    await page.goto('/?query=chef');
    const tile = page.getByRole('article', { name: 'Chef Knife' });
    await expect(tile.getByText('In stock')).toBeVisible();
    await expect(tile.getByRole('button', { name: 'Add to cart' })).toBeVisible(); // every fragment has loaded
    const loads: string[] = [];
    page.on('framenavigated', (frame) => loads.push(frame.url()));

    await setStock(SKU, 2);
    await expect(tile.getByText('Only 2 left')).toBeVisible();
    await setStock(SKU, 0);
    await expect(tile.getByText('Out of stock')).toBeVisible();
    // Sold out: the button stays, disabled, and says why.
    const button = tile.getByRole('button', { name: 'Add to cart' });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription('Sold out, none left to add');
    expect(loads).toEqual([]);

    // The product page, loaded while sold out, says the same.
    await page.goto(`/products/${SKU}`);
    const productButton = page.getByRole('button', { name: 'Add to cart' });
    await expect(productButton).toBeDisabled();
    await expect(productButton).toHaveAccessibleDescription('Sold out, none left to add');
    await expect(page).toHaveTitle('Chef Knife — Storefront');
  });

  test('a price change updates the price on every open page, as text bff-web formatted', async ({ page, context }) => {
    // Prices arrive formatted (page data and live updates alike): a browser's first Intl.NumberFormat
    // loads its ICU data, a long task on a phone, so the pages must not make one.
    await countNumberFormats(context);
    await setPrice(SKU, 6400);
    await page.goto('/?query=chef');
    const other = await context.newPage();
    await other.goto(`/products/${SKU}`);
    const tile = page.getByRole('article', { name: 'Chef Knife' });
    await expect(tile).toContainText('€64.00');
    await expect(other.getByText('€64.00')).toBeVisible();
    await expect(tile.getByRole('button', { name: 'Add to cart' })).toBeVisible(); // every fragment has loaded

    await setPrice(SKU, 5450);
    await expect(tile).toContainText('€54.50');
    await expect(other.getByText('€54.50')).toBeVisible();
    expect([await numberFormatsMade(page), await numberFormatsMade(other)]).toEqual([0, 0]);
  });
});
