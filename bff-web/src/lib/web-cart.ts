import type { Cart } from '@shop/contracts/api/cart';
import type { WebCart } from '@shop/contracts/api/web';
import { withDisplayText } from '@shop/contracts/format-price';

/** The cart service's cart as a page shows it: every amount (minor units) with its display text, so the page formats nothing. */
export const toWebCart = (cart: Cart): WebCart => ({
  ...cart,
  lines: cart.lines.map((line) => ({ ...line, unitPrice: withDisplayText(line.unitPrice), lineTotal: withDisplayText(line.lineTotal) })),
  total: withDisplayText(cart.total),
});
