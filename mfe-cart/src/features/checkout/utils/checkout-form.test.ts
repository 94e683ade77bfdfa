import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../lib/api-client.ts';
import { missingFields, splitFieldMessages } from '../../../lib/form-errors.ts';
import {
  checkoutFields,
  emptyCheckout,
  idempotencyKeyAfter,
  requiredCheckoutFields,
  toCheckoutBody,
  type CheckoutValues,
} from './checkout-form.ts';

const filled: CheckoutValues = {
  'shippingAddress/name': ' Ada Lovelace ',
  'shippingAddress/line1': '1 Main Street',
  'shippingAddress/city': 'Dublin',
  'shippingAddress/postalCode': 'D02 X285',
  'shippingAddress/country': 'ie',
  'payment/cardNumber': '4242 4242 4242 4242 ',
  'payment/expiry': '12/30',
  'payment/cvc': '123',
};

describe('checkout form', () => {
  it('builds the request body the API takes', () => {
    expect(toCheckoutBody(filled)).toEqual({
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main Street', city: 'Dublin', postalCode: 'D02 X285', country: 'IE' },
      payment: { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' },
    });
  });

  it('names every empty field before sending, and nothing else', () => {
    const missing = missingFields({ ...emptyCheckout, 'shippingAddress/city': 'Cork' }, requiredCheckoutFields);
    expect(Object.keys(missing).sort()).toEqual(
      checkoutFields.filter((f) => f !== 'shippingAddress/city' && f !== 'shippingAddress/country').sort(),
    );
    expect(missing['payment/cvc']).toBe('Enter the security code.');
    // A postal code or card number that is filled in but wrong is for the server to judge.
    expect(missingFields({ ...filled, 'shippingAddress/postalCode': 'X', 'payment/cardNumber': '1234' }, requiredCheckoutFields)).toEqual({});
  });

  it("maps the server's FormError onto the form's fields", () => {
    const { byField, other } = splitFieldMessages(
      { 'shippingAddress/postalCode': 'Too short', 'payment/cardNumber': 'Not a valid card number' },
      checkoutFields,
    );
    expect(byField).toEqual({ 'shippingAddress/postalCode': 'Too short', 'payment/cardNumber': 'Not a valid card number' });
    expect(other).toEqual([]);
  });

  describe('idempotency key', () => {
    let n = 0;
    const fresh = () => `key-${++n}`;

    it('is kept for a retry after no answer or a server error: the order may exist', () => {
      expect(idempotencyKeyAfter('key-a', new TypeError('Failed to fetch'), fresh)).toBe('key-a');
      expect(idempotencyKeyAfter('key-a', new ApiRequestError(503, 'WEB_ORDERS_UNAVAILABLE', 'down'), fresh)).toBe('key-a');
    });

    it('is replaced after a 4xx: nothing was placed, the next submission is a new attempt', () => {
      expect(idempotencyKeyAfter('key-a', new ApiRequestError(400, 'WEB_INVALID', 'bad', { 'payment/cvc': 'x' }), fresh)).not.toBe('key-a');
      expect(idempotencyKeyAfter('key-a', new ApiRequestError(409, 'WEB_CART_EMPTY', 'empty'), fresh)).not.toBe('key-a');
    });
  });
});
