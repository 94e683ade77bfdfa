import type { Money } from './money.ts';

/** The shop's one display locale: the fragments' own text (dates, counts) is written for it too. */
export const SHOP_LOCALE = 'en-IE';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Money's display text (`{ amount: 1299, currency: 'EUR' }` → `€12.99`): amount in integer minor units,
 * currency ISO 4217, text per the locale (default the shop's). bff-web writes every amount it hands pages
 * with it (`withDisplayText`: prices, cart lines and totals), so that they paint and hydrate without Intl:
 * a browser's first `Intl.NumberFormat` loads its ICU data, a 70–90 ms task on a desktop (Chromium 156),
 * several times that on a phone. Formatters are kept per locale and currency.
 */
export function formatPrice(money: Pick<Money, 'amount' | 'currency'>, locale: string = SHOP_LOCALE): string {
  const key = `${locale}|${money.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
    formatters.set(key, formatter);
  }
  return formatter.format(money.amount / 100);
}

/** Money with its display text added as `formatted` (see formatPrice): how bff-web hands prices to pages and live updates. */
export const withDisplayText = <M extends Money>(money: M): M & { formatted: string } => ({ ...money, formatted: formatPrice(money) });

/**
 * What a page shows for `money`: bff-web's `formatted` as it is, so the page makes no Intl formatter;
 * formatted here (formatPrice) only for an answer without it, as from a bff-web older than the field:
 * fragments and BFF deploy apart, in either order.
 */
export const displayText = (money: Pick<Money, 'amount' | 'currency'> & { formatted?: string }): string => money.formatted ?? formatPrice(money);
