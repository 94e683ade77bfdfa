import { describe, expect, it } from 'vitest';
import { cartLabel } from './cart-label.ts';
import { CART_UPDATED, cartUpdatedEvent } from '../../../events.ts';

describe('mini-cart', () => {
  it('names the link after the item count', () => {
    expect(cartLabel(0)).toBe('Cart (0)');
    expect(cartLabel(12)).toBe('Cart (12)');
  });

  it('announces cart changes as a typed cart:updated event', () => {
    const event = cartUpdatedEvent({ itemCount: 3 });
    expect(event.type).toBe(CART_UPDATED);
    expect(event.type).toBe('cart:updated');
    expect(event.detail).toEqual({ itemCount: 3 });
  });
});
