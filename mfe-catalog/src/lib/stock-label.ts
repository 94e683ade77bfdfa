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
