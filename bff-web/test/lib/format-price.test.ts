import { describe, expect, it } from 'vitest';
import { displayText, formatPrice, withDisplayText } from '@shop/contracts/format-price';
import { toWebCart } from '../../src/lib/web-cart.ts';

describe('formatPrice', () => {
  it('formats integer minor units as euros', () => {
    expect(formatPrice({ amount: 1299, currency: 'EUR' })).toBe('€12.99');
    expect(formatPrice({ amount: 5, currency: 'EUR' })).toBe('€0.05');
    expect(formatPrice({ amount: 0, currency: 'EUR' })).toBe('€0.00');
    expect(formatPrice({ amount: 123456789, currency: 'EUR' })).toBe('€1,234,567.89');
  });

  it('adds the display text to money, keeping what it had (bff-web prices: version too)', () => {
    expect(withDisplayText({ amount: 4500, currency: 'EUR' as const, version: 9 })).toEqual({ amount: 4500, currency: 'EUR', version: 9, formatted: '€45.00' });
  });

  it('follows the locale it is given', () => {
    expect(formatPrice({ amount: 1299, currency: 'EUR' }, 'de-DE')).toBe('12,99\u00a0€');
  });
});

describe('displayText', () => {
  it("shows bff-web's text as it is, and formats only an answer without it (an older bff-web)", () => {
    expect(displayText({ amount: 1299, currency: 'EUR', formatted: 'EUR 12.99' })).toBe('EUR 12.99');
    expect(displayText({ amount: 1299, currency: 'EUR' })).toBe('€12.99');
  });
});

describe('toWebCart', () => {
  it("gives every amount of the cart service's cart its display text, and keeps the rest", () => {
    const line = { sku: 'KIT-0001', name: 'Chef knife', quantity: 3, unitPrice: { amount: 1999, currency: 'EUR' as const }, lineTotal: { amount: 5997, currency: 'EUR' as const } };
    const cart = { id: `guest-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, lines: [line], total: { amount: 5997, currency: 'EUR' as const }, itemCount: 3, version: 4 };
    expect(toWebCart(cart)).toEqual({
      ...cart,
      lines: [{ ...line, unitPrice: { ...line.unitPrice, formatted: '€19.99' }, lineTotal: { ...line.lineTotal, formatted: '€59.97' } }],
      total: { ...cart.total, formatted: '€59.97' },
    });
  });
});
