import type { BrowserContext, Page } from '@playwright/test';

/**
 * Counts, in every page of `context` from now on, the `Intl.NumberFormat`s made (constructed or called).
 * Prices come formatted from bff-web: a browser's first NumberFormat loads its ICU data, a long task on a
 * phone, so a page that shows money should make none. Read the count with `numberFormatsMade(page)`.
 */
export async function countNumberFormats(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    let made = 0;
    const count = {
      construct: (target: typeof Intl.NumberFormat, args: unknown[]) => ((made += 1), Reflect.construct(target, args)),
      apply: (target: typeof Intl.NumberFormat, self: unknown, args: unknown[]) => ((made += 1), Reflect.apply(target, self, args)),
    };
    Intl.NumberFormat = new Proxy(Intl.NumberFormat, count);
    Object.defineProperty(window, '__numberFormatsMade', { get: () => made });
  });
}

/** How many `Intl.NumberFormat`s `page` has made since it loaded (see countNumberFormats). */
export const numberFormatsMade = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __numberFormatsMade: number }).__numberFormatsMade);
