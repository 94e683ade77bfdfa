import type { CheckoutBody } from '@shop/contracts/api/checkout';
import { ApiRequestError } from '../../../lib/api-client.ts';

/** The form's fields, named by their path in the request body so the server's `FormError.fields` map onto them. */
export const checkoutFields = [
  'shippingAddress/name',
  'shippingAddress/line1',
  'shippingAddress/city',
  'shippingAddress/postalCode',
  'shippingAddress/country',
  'payment/cardNumber',
  'payment/expiry',
  'payment/cvc',
] as const;

export type CheckoutField = (typeof checkoutFields)[number];
export type CheckoutValues = Record<CheckoutField, string>;

export const emptyCheckout: CheckoutValues = {
  'shippingAddress/name': '',
  'shippingAddress/line1': '',
  'shippingAddress/city': '',
  'shippingAddress/postalCode': '',
  'shippingAddress/country': 'IE',
  'payment/cardNumber': '',
  'payment/expiry': '',
  'payment/cvc': '',
};

/** How "Enter …" names each field when it is left empty. Only emptiness is checked here; the server checks the rest. */
export const requiredCheckoutFields: Record<CheckoutField, string> = {
  'shippingAddress/name': 'the name to deliver to',
  'shippingAddress/line1': 'the street address',
  'shippingAddress/city': 'the city',
  'shippingAddress/postalCode': 'the postal code',
  'shippingAddress/country': 'the country',
  'payment/cardNumber': 'the card number',
  'payment/expiry': 'the expiry date',
  'payment/cvc': 'the security code',
};

export const countries = [
  { value: 'IE', label: 'Ireland' },
  { value: 'AT', label: 'Austria' },
  { value: 'BE', label: 'Belgium' },
  { value: 'DE', label: 'Germany' },
  { value: 'ES', label: 'Spain' },
  { value: 'FR', label: 'France' },
  { value: 'IT', label: 'Italy' },
  { value: 'NL', label: 'Netherlands' },
  { value: 'PT', label: 'Portugal' },
] as const;

/** The request body, with surrounding spaces trimmed (spaces inside a card number are the shopper's and allowed). */
export function toCheckoutBody(values: CheckoutValues): CheckoutBody {
  const v = (field: CheckoutField) => values[field].trim();
  return {
    shippingAddress: {
      name: v('shippingAddress/name'),
      line1: v('shippingAddress/line1'),
      city: v('shippingAddress/city'),
      postalCode: v('shippingAddress/postalCode'),
      country: v('shippingAddress/country').toUpperCase(),
    },
    payment: {
      cardNumber: v('payment/cardNumber'),
      expiry: v('payment/expiry'),
      cvc: v('payment/cvc'),
    },
  };
}

/**
 * The `Idempotency-Key` for the next submission. A retry of an attempt whose outcome is unknown
 * (no answer, or a 5xx) reuses the key, so the server cannot place the order twice; an attempt
 * the server answered with a 4xx placed nothing, so the corrected form is a new attempt.
 */
export function idempotencyKeyAfter(key: string, error: unknown, newKey: () => string): string {
  return error instanceof ApiRequestError && error.status < 500 ? newKey() : key;
}
