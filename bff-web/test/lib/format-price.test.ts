import { describe, expect, it } from 'vitest';
import { formatPrice, withDisplayText } from '@shop/contracts/format-price';

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
