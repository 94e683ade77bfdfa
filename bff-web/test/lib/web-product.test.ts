import { describe, expect, it } from 'vitest';
import { LOW_STOCK_THRESHOLD } from '@shop/contracts/api/stock';
import { imageUrl, stockStatus, webStock } from '../../src/lib/web-product.ts';

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

describe('webStock', () => {
  it('treats a sku inventory does not know as out of stock at version 0', () => {
    expect(webStock(null)).toEqual({ available: 0, status: 'out', version: 0 });
  });
});

describe('imageUrl', () => {
  it.each([
    ['/images/KIT-0001.svg', '/api/images/KIT-0001.svg'],
    ['http://127.0.0.1:7101/images/KIT-0001.svg', '/api/images/KIT-0001.svg'],
    ['KIT-0001.svg', '/api/images/KIT-0001.svg'],
  ])('rewrites %s to the bff path', (from, to) => {
    expect(imageUrl(from)).toBe(to);
  });
});
