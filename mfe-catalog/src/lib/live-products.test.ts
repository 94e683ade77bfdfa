import { describe, expect, it } from 'vitest';
import type { WebProduct } from '@shop/contracts/api/web';
import { applyPriceUpdate, applyStockUpdate, emptyLiveState, withLiveUpdates } from './live-products.ts';

const product: WebProduct = {
  sku: 'KIT-0001',
  name: 'Kettle',
  description: 'Boils water',
  category: 'kitchen',
  image: '/api/images/KIT-0001.svg',
  price: { amount: 2999, currency: 'EUR', version: 4, formatted: '€29.99' },
  stock: { available: 12, status: 'in_stock', version: 7 },
};

describe('live product updates', () => {
  it('applies a stock update newer than the fetched one', () => {
    const state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0001', available: 3, status: 'low', version: 8 });
    expect(withLiveUpdates(product, state).stock).toEqual({ available: 3, status: 'low', version: 8 });
  });

  it('drops a stock update that is not newer than what the page holds', () => {
    const state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0001', available: 0, status: 'out', version: 7 });
    expect(withLiveUpdates(product, state)).toBe(product);
  });

  it('keeps the newest of several updates whatever order they arrive in', () => {
    let state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0001', available: 2, status: 'low', version: 10 });
    const before = state;
    state = applyStockUpdate(state, { sku: 'KIT-0001', available: 9, status: 'in_stock', version: 9 });
    expect(state).toBe(before);
    expect(withLiveUpdates(product, state).stock?.available).toBe(2);
  });

  it('lets a refetched snapshot win over an older live update', () => {
    const state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0001', available: 3, status: 'low', version: 8 });
    const refetched = { ...product, stock: { available: 20, status: 'in_stock' as const, version: 9 } };
    expect(withLiveUpdates(refetched, state)).toBe(refetched);
  });

  it('fills in stock that could not be read at fetch time', () => {
    const state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0001', available: 0, status: 'out', version: 1 });
    expect(withLiveUpdates({ ...product, stock: null }, state).stock?.status).toBe('out');
  });

  it('applies newer prices and drops stale ones', () => {
    let state = applyPriceUpdate(emptyLiveState, { sku: 'KIT-0001', price: { amount: 2499, currency: 'EUR', formatted: '€24.99' }, version: 5 });
    expect(withLiveUpdates(product, state).price).toEqual({ amount: 2499, currency: 'EUR', formatted: '€24.99', version: 5 });
    state = applyPriceUpdate(state, { sku: 'KIT-0001', price: { amount: 9999, currency: 'EUR', formatted: '€99.99' }, version: 3 });
    expect(withLiveUpdates(product, state).price.amount).toBe(2499);
  });

  it('leaves other products alone', () => {
    const state = applyStockUpdate(emptyLiveState, { sku: 'KIT-0002', available: 0, status: 'out', version: 99 });
    expect(withLiveUpdates(product, state)).toBe(product);
  });
});
