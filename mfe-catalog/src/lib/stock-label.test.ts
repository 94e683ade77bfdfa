import { describe, expect, it } from 'vitest';
import { isSoldOut, stockLabel } from './stock-label.ts';

describe('stockLabel', () => {
  it('names each status the way the tiles show it', () => {
    expect(stockLabel({ status: 'in_stock', available: 40 })).toBe('In stock');
    expect(stockLabel({ status: 'low', available: 5 })).toBe('Only 5 left');
    expect(stockLabel({ status: 'low', available: 1 })).toBe('Only 1 left');
    expect(stockLabel({ status: 'out', available: 0 })).toBe('Out of stock');
  });

  it('never says "Only 0 left"', () => {
    expect(stockLabel({ status: 'low', available: 0 })).toBe('Out of stock');
  });

  it('says so when stock could not be read', () => {
    expect(stockLabel(null)).toBe('Stock unavailable');
  });
});

describe('isSoldOut', () => {
  it('is true exactly when the tile says Out of stock', () => {
    expect(isSoldOut({ status: 'out', available: 0 })).toBe(true);
    expect(isSoldOut({ status: 'low', available: 0 })).toBe(true);
    expect(isSoldOut({ status: 'low', available: 1 })).toBe(false);
    expect(isSoldOut({ status: 'in_stock', available: 40 })).toBe(false);
  });

  it('leaves unknown stock to the cart', () => {
    expect(isSoldOut(null)).toBe(false);
  });
});
