import { expect, test } from '@playwright/test';

test.describe('browsing the catalog', () => {
  test('shows the seeded range with prices and stock labels', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Storefront' })).toBeVisible();
    await expect(page.getByText('54 products')).toBeVisible();
    const tiles = page.getByRole('article');
    await expect(tiles).toHaveCount(12);
    const dumbbells = page.getByRole('article', { name: 'Adjustable Dumbbells' });
    await expect(dumbbells).toContainText('€299.00');
    await expect(dumbbells.getByText(/^(In stock|Only \d left|Out of stock)$/)).toBeVisible();
  });

  test('search narrows the list to matching products', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Search products').fill('kettle');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/query=kettle/);
    await expect(page.getByRole('article', { name: 'Electric Kettle' })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Kettlebell' })).toBeVisible();
    await expect(page.getByRole('article')).toHaveCount(2);
  });

  test('the category filter shows one category only', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Category').selectOption({ label: 'Lighting (9)' });
    await expect(page.getByText('9 products')).toBeVisible();
    await expect(page.getByRole('article', { name: 'Desk Lamp' })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Chef Knife' })).toHaveCount(0);
  });

  test('sorting by price and paging', async ({ page }) => {
    await page.goto('/?sort=price-desc');
    await expect(page.getByRole('article').first()).toHaveAccessibleName('Standing Desk');
    await page.getByRole('link', { name: 'Next' }).click();
    await expect(page.getByText('Page 2 of 5')).toBeVisible();
    await expect(page.getByRole('article', { name: 'Standing Desk' })).toHaveCount(0);
  });

  test('a product page shows the product, reached from its tile', async ({ page }) => {
    await page.goto('/?query=chef');
    await page.getByRole('article', { name: 'Chef Knife' }).getByRole('link').first().click();
    await expect(page).toHaveURL(/\/products\/KIT-0001$/);
    await expect(page.getByRole('heading', { name: 'Chef Knife', level: 1 })).toBeVisible();
    await expect(page.getByText('Eight-inch forged steel knife that holds its edge.')).toBeVisible();
  });

  test('React is downloaded once per page load, by the shell, however many fragments use it', async ({ page }) => {
    const downloads: string[] = [];
    // Downloads are GETs: each fragment's mount report is a POST to one URL.
    page.on('response', (res) => { if (res.request().method() === 'GET') downloads.push(res.url()); });
    await page.goto('/');
    await expect(page.getByRole('article').first()).toBeVisible();
    await expect(page.getByRole('link', { name: /^Cart \(\d+\)$/ })).toBeVisible();
    // The cart fragment's button inside the catalog fragment's tiles: a third app on the page.
    await expect(page.getByRole('button', { name: 'Add to cart' }).first()).toBeVisible();

    const reactChunks = downloads.filter((url) => /react/i.test(new URL(url).pathname));
    expect(reactChunks.some((url) => /react.*dom/i.test(url))).toBe(true);
    expect(reactChunks.filter((url) => !url.startsWith('http://localhost:3000/'))).toEqual([]);
    expect(new Set(downloads).size).toBe(downloads.length);
  });
});

// Each fragment is developed and checked alone on its own page, where no shell provides the federation
// runtime the fragments share on the storefront: the page provides it itself.
test('each fragment runs on its own page, without the shell', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('http://localhost:3001/');
  await expect(page.getByRole('article').first()).toBeVisible();
  await expect(page.getByText('54 products')).toBeVisible();
  await page.goto('http://localhost:3002/');
  await expect(page.getByRole('heading', { name: 'Cart fragment' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();
  expect(errors).toEqual([]);
});
