import { createHash } from 'node:crypto';
import type { Cart } from '@shop/contracts/api/cart';
import type { CheckoutBody } from '@shop/contracts/api/checkout';

const digest = (...parts: (string | number)[]) => `web-${createHash('sha256').update(parts.join('\n')).digest('hex')}`;

/**
 * The idempotency key bff-web hands orders for a checkout (`web-<64 hex>`, always scoped to the user,
 * so one user's key can never name another user's order):
 * - the client's `Idempotency-Key`, when it sends one (a retry of the same attempt returns the same order);
 * - else one derived from the user, the cart's version and the form: a double-click sends the same form
 *   for the same cart and gets the same order. A changed cart (or address, or card) is a new attempt.
 *   The card enters only as its last four digits and expiry: no card number is hashed into a key orders stores.
 */
export function checkoutKey(userId: string, clientKey: string | undefined, cart: Cart, body: CheckoutBody): string {
  if (clientKey) return digest('client', userId, clientKey);
  const a = body.shippingAddress;
  const digits = body.payment.cardNumber.replace(/\D/g, '');
  return digest('derived', userId, cart.id, cart.version, a.name, a.line1, a.city, a.postalCode, a.country, digits.slice(-4), body.payment.expiry);
}
