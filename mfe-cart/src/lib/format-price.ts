import type { Money } from '@shop/contracts/money';
import { config } from '../config/app.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/** Money arrives as integer minor units; cents are divided out only for display. */
export function formatPrice(money: Money, locale: string = config.locale): string {
  const key = `${locale}|${money.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
    formatters.set(key, formatter);
  }
  return formatter.format(money.amount / 100);
}
