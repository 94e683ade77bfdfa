import { describe, expect, it } from 'vitest';
import { parseStoredCart, toCart, type ProductInfo } from '../src/cart-view.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
const product = (name: string, amount: number): ProductInfo => ({ name, price: eur(amount), available: 10 });

describe('the cart view', () => {
  it('reads lines and version from the stored hash, leaving other metadata out', () => {
    const stored = parseStoredCart(['_version', '7', 'KIT-0001', '2', '_updated', '1700000000000', 'AUD-0001', '1']);
    expect(stored.version).toBe(7);
    expect([...stored.lines]).toEqual([['KIT-0001', 2], ['AUD-0001', 1]]);
  });

  it('prices each line at the given price and sums in integer minor units, ordered by product name', () => {
    const stored = parseStoredCart(['_version', '3', 'KIT-0001', '3', 'AUD-0001', '1']);
    const cart = toCart('guest-1', stored, new Map([['KIT-0001', product('Chef Knife', 1999)], ['AUD-0001', product('Bluetooth Speaker', 5990)]]));
    expect(cart).toEqual({
      id: 'guest-1',
      lines: [
        { sku: 'AUD-0001', name: 'Bluetooth Speaker', quantity: 1, unitPrice: eur(5990), lineTotal: eur(5990) },
        { sku: 'KIT-0001', name: 'Chef Knife', quantity: 3, unitPrice: eur(1999), lineTotal: eur(5997) },
      ],
      total: eur(11987),
      itemCount: 4,
      version: 3,
    });
  });

  it('keeps a line whose product is no longer known, under its SKU and at no price', () => {
    const cart = toCart('user-1', parseStoredCart(['_version', '1', 'GONE-0001', '2']), new Map([['GONE-0001', undefined]]));
    expect(cart.lines).toEqual([{ sku: 'GONE-0001', name: 'GONE-0001', quantity: 2, unitPrice: eur(0), lineTotal: eur(0) }]);
    expect(cart).toMatchObject({ total: eur(0), itemCount: 2 });
  });

  it('shows an unknown cart as empty at version 0', () => {
    expect(toCart('guest-2', parseStoredCart([]), new Map())).toEqual({ id: 'guest-2', lines: [], total: eur(0), itemCount: 0, version: 0 });
  });
});
