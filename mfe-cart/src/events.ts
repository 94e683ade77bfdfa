/**
 * DOM events mfe-cart emits on `window`, declared once here. Listeners in other fragments or the
 * shell import these types only (`import type`), never runtime code.
 */

export const CART_UPDATED = 'cart:updated' as const;
export const SESSION_CHANGED = 'session:changed' as const;

export interface CartUpdatedDetail {
  /** Total quantity over all lines: the N of the header's `Cart (N)`. */
  itemCount: number;
}

export type CartUpdatedEvent = CustomEvent<CartUpdatedDetail>;

/** Who is shopping now, after a sign-in, registration or sign-out on this page. */
export interface SessionChangedDetail {
  user: { id: string; email: string; name: string } | null;
}

export type SessionChangedEvent = CustomEvent<SessionChangedDetail>;

declare global {
  interface WindowEventMap {
    [CART_UPDATED]: CartUpdatedEvent;
    [SESSION_CHANGED]: SessionChangedEvent;
  }
}

export function cartUpdatedEvent(detail: CartUpdatedDetail): CartUpdatedEvent {
  return new CustomEvent(CART_UPDATED, { detail });
}

export function sessionChangedEvent(detail: SessionChangedDetail): SessionChangedEvent {
  return new CustomEvent(SESSION_CHANGED, { detail });
}
