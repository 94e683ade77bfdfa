import { describe, expect, it } from 'vitest';
import { cartLabel } from './cart-label.ts';

describe('mini-cart', () => {
  it('names the link after the item count', () => {
    expect(cartLabel(0)).toBe('Cart (0)');
    expect(cartLabel(12)).toBe('Cart (12)');
  });
});
