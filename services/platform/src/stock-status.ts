import { LOW_STOCK_THRESHOLD, type StockStatus } from '@shop/contracts/api/stock';

/**
 * The label of a stock level, as both BFFs show it: `out` at 0 or below, `low` up to
 * LOW_STOCK_THRESHOLD units, else `in_stock`. Takes a unit count; never throws.
 */
export function stockStatus(available: number): StockStatus {
  if (available <= 0) return 'out';
  return available <= LOW_STOCK_THRESHOLD ? 'low' : 'in_stock';
}
