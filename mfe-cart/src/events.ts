/**
 * DOM events mfe-cart emits on `window`, declared once here. Listeners in other fragments or the
 * shell import these types only (`import type`), never runtime code.
 */

export const CART_UPDATED = 'cart:updated' as const;

export interface CartUpdatedDetail {
  /** Total quantity over all lines: the N of the header's `Cart (N)`. */
  itemCount: number;
}

export type CartUpdatedEvent = CustomEvent<CartUpdatedDetail>;

declare global {
  interface WindowEventMap {
    [CART_UPDATED]: CartUpdatedEvent;
  }
}

export function cartUpdatedEvent(detail: CartUpdatedDetail): CartUpdatedEvent {
  return new CustomEvent(CART_UPDATED, { detail });
}
