import { describe, expect, it } from 'vitest';
import { cardBrand, cardDigits, checkCard, isExpired, luhnValid } from '../src/card.ts';

const now = new Date('2026-03-15T12:00:00Z');

describe('card checks', () => {
  it('knows the Luhn check digit', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('4000000000000002')).toBe(true);
    expect(luhnValid('4000000000000119')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
  });

  it('takes spaces, and refuses other characters, wrong lengths and a bad check digit, naming cardNumber', () => {
    expect(cardDigits('4242 4242 4242 4242')).toBe('4242424242424242');
    expect(() => cardDigits('4242-4242-4242-4242')).toThrow(/cardNumber may contain only digits/);
    expect(() => cardDigits('4242 4242 42')).toThrow(/cardNumber must have 12 to 19 digits/);
    expect(() => cardDigits('4242424242424242 4242')).toThrow(/cardNumber must have 12 to 19 digits/);
    expect(() => cardDigits('4242424242424241')).toThrow(/cardNumber is not a valid card number/);
  });

  it('names the brand from the leading digits', () => {
    expect(cardBrand('4242424242424242')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('2223003122003222')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('9999999999999995')).toBe('card');
  });

  it('treats a card as good through the end of its expiry month', () => {
    expect(isExpired({ month: 3, year: 2026 }, now)).toBe(false);
    expect(isExpired({ month: 2, year: 2026 }, now)).toBe(true);
    expect(isExpired({ month: 1, year: 2027 }, now)).toBe(false);
  });

  it('keeps only brand, last 4, expiry and the test-card outcome', () => {
    const details = { expiry: '12/30', cvc: '123' };
    expect(checkCard({ ...details, cardNumber: '4242 4242 4242 4242' }, now)).toEqual({
      brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, outcome: 'approve',
    });
    expect(checkCard({ ...details, cardNumber: '4000 0000 0000 0002' }, now).outcome).toBe('decline');
    expect(checkCard({ ...details, cardNumber: '4000 0000 0000 0119' }, now).outcome).toBe('timeout');
    expect(() => checkCard({ ...details, expiry: '02/26', cardNumber: '4242 4242 4242 4242' }, now)).toThrow(/expiry 02\/26 is in the past/);
  });
});
