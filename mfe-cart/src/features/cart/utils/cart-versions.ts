import type { Cart } from '@shop/contracts/api/cart';
import type { CartUpdate } from '@shop/contracts/live';

/**
 * Whether a live `cart:changed` says something the page does not know yet. Another cart (after a
 * sign-in the session's cart is the account's) always counts; for the same cart only a higher version.
 */
export function isNewerThanShown(update: CartUpdate, shown: Cart | undefined): boolean {
  return !shown || shown.id !== update.cartId || update.version > shown.version;
}

/**
 * Which cart to keep when a write answers: answers of two quick writes can arrive out of order, and
 * the older must not roll the page back.
 */
export function newerCart<C extends Cart>(shown: C | undefined, answered: C): C {
  if (!shown || shown.id !== answered.id || answered.version >= shown.version) return answered;
  return shown;
}

/** How many of this product the cart holds. */
export function quantityOf(cart: Cart | undefined, sku: string): number {
  return cart?.lines.find((line) => line.sku === sku)?.quantity ?? 0;
}
