import { describe, expect, it } from 'vitest';
import { hasMessages, missingFields, normaliseFieldPath, splitFieldMessages } from './form-errors.ts';

const checkoutFields = ['shippingAddress/postalCode', 'payment/cardNumber', 'payment/cvc'] as const;

describe('form errors', () => {
  it('puts each server message next to the field it names', () => {
    const { byField, other } = splitFieldMessages(
      { 'shippingAddress/postalCode': 'Enter a valid postal code', 'payment/cardNumber': 'This card number is not valid' },
      checkoutFields,
    );
    expect(byField).toEqual({
      'shippingAddress/postalCode': 'Enter a valid postal code',
      'payment/cardNumber': 'This card number is not valid',
    });
    expect(other).toEqual([]);
  });

  it('understands JSON-pointer and dotted paths', () => {
    expect(normaliseFieldPath('/payment/cvc')).toBe('payment/cvc');
    expect(normaliseFieldPath('payment.cvc')).toBe('payment/cvc');
    expect(splitFieldMessages({ '/payment/cvc': 'Three or four digits' }, checkoutFields).byField).toEqual({
      'payment/cvc': 'Three or four digits',
    });
  });

  it('keeps messages for fields the form does not have', () => {
    const { byField, other } = splitFieldMessages({ shippingAddress: 'Missing line1', 'payment/cvc': 'Too short' }, checkoutFields);
    expect(byField).toEqual({ 'payment/cvc': 'Too short' });
    expect(other).toEqual(['Missing line1']);
  });

  it('names every empty required field', () => {
    const values = { email: '  ', password: 'secret', name: '' };
    const missing = missingFields(values, { email: 'your email address', password: 'a password', name: 'your name' });
    expect(missing).toEqual({ email: 'Enter your email address.', name: 'Enter your name.' });
    expect(hasMessages(missing)).toBe(true);
    expect(hasMessages(missingFields({ email: 'a@b.c' }, { email: 'your email' }))).toBe(false);
  });
});
