import { describe, expect, it } from 'vitest';
import { stockLabel } from './stock-label.ts';

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
