import { describe, expect, it } from 'vitest';
import { LOW_STOCK_THRESHOLD } from '@shop/contracts/api/stock';
import { stockStatus } from '../src/stock-status.ts';

describe('stockStatus', () => {
  it.each([
    [0, 'out'],
    [1, 'low'],
    [LOW_STOCK_THRESHOLD, 'low'],
    [LOW_STOCK_THRESHOLD + 1, 'in_stock'],
    [20, 'in_stock'],
  ])('%i available is %s', (available, status) => {
    expect(stockStatus(available)).toBe(status);
  });
});
