import type { WebStock } from '@shop/contracts/api/web';

/** `null` stock means bff-web could not read it in time; the page says so instead of guessing. */
export function stockLabel(stock: Pick<WebStock, 'available' | 'status'> | null): string {
  if (!stock) return 'Stock unavailable';
  switch (stock.status) {
    case 'in_stock':
      return 'In stock';
    case 'low':
      return stock.available > 0 ? `Only ${stock.available} left` : 'Out of stock';
    case 'out':
      return 'Out of stock';
  }
}

/** Why a sold-out product's `Add to cart` is disabled (worded apart from the stock label beside it). */
export const SOLD_OUT_REASON = 'Sold out, none left to add';

/** True exactly when the label says `Out of stock`; unknown stock (`null`) is not sold out: the cart decides then. */
export function isSoldOut(stock: Pick<WebStock, 'available' | 'status'> | null): boolean {
  return stock !== null && stockLabel(stock) === 'Out of stock';
}
