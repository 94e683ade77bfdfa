import type { CardDetails } from '@shop/contracts/api/payments';
import { cardExpired, invalidCardNumber } from './errors.ts';

/** What the simulated provider does with a card: the test cards in ARCHITECTURE.md. */
export type Outcome = 'approve' | 'decline' | 'timeout';

const TEST_CARDS: Record<string, Outcome> = {
  '4000000000000002': 'decline',
  '4000000000000119': 'timeout',
};

export interface CheckedCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  outcome: Outcome;
}

/** The digits of a card number as typed (spaces allowed), or an error naming `cardNumber`. */
export function cardDigits(cardNumber: string): string {
  const digits = cardNumber.replace(/ /g, '');
  if (!/^[0-9]*$/.test(digits)) throw invalidCardNumber('may contain only digits and spaces');
  if (digits.length < 12 || digits.length > 19) throw invalidCardNumber('must have 12 to 19 digits');
  if (!luhnValid(digits)) throw invalidCardNumber('is not a valid card number (check digit mismatch)');
  return digits;
}

/** The Luhn (mod 10) check every card number carries in its last digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The card network, from the number's leading digits (its IIN range). */
export function cardBrand(digits: string): string {
  const first2 = Number(digits.slice(0, 2));
  const first4 = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return 'visa';
  if ((first2 >= 51 && first2 <= 55) || (first4 >= 2221 && first4 <= 2720)) return 'mastercard';
  if (first2 === 34 || first2 === 37) return 'amex';
  if (first4 === 6011 || first2 === 65 || (first4 >= 6440 && first4 <= 6499)) return 'discover';
  return 'card';
}

/** `MM/YY` (the schema has checked the shape) as a month and a four-digit year. */
export function parseExpiry(expiry: string): { month: number; year: number } {
  const [mm, yy] = expiry.split('/');
  return { month: Number(mm), year: 2000 + Number(yy) };
}

/** A card is good through the last day of its expiry month (UTC). */
export const isExpired = ({ month, year }: { month: number; year: number }, now: Date): boolean =>
  year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;

/** Checks a card as entered and keeps only what the simulation needs; the number itself goes no further. */
export function checkCard(details: CardDetails, now = new Date()): CheckedCard {
  const digits = cardDigits(details.cardNumber);
  const expiry = parseExpiry(details.expiry);
  if (isExpired(expiry, now)) throw cardExpired(details.expiry);
  return {
    brand: cardBrand(digits),
    last4: digits.slice(-4),
    expMonth: expiry.month,
    expYear: expiry.year,
    outcome: TEST_CARDS[digits] ?? 'approve',
  };
}
