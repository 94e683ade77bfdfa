import { expect, test, type Page } from '@playwright/test';

/** Every Content-Security-Policy violation the page reports (the browser's own event), and CSP console errors. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return violations;
}

test.describe('security headers', () => {
  test('the pages load every fragment and go live under the CSP, with no violation', async ({ page }) => {
    const violations = await watchViolations(page);
    const response = await page.goto('/');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');

    const tile = page.getByRole('article').first();
    await expect(tile.getByRole('button', { name: 'Add to cart' })).toBeVisible(); // both fragments loaded
    await tile.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('link', { name: 'Cart (1)' })).toBeVisible();
    await page.getByRole('link', { name: 'Cart (1)' }).click();
    await expect(page).toHaveURL(/\/cart/);
    await page.goto('/account');
    await expect(page.getByRole('link', { name: 'Storefront' })).toBeVisible();
    expect(violations).toEqual([]);
  });
});
