import { describe, expect, it } from 'vitest';
import type { Cart } from '@shop/contracts/api/cart';
import { isNewerThanShown, newerCart, quantityOf } from './cart-versions.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
const cart = (version: number, quantity = 1, id = 'guest-11111111-1111-1111-1111-111111111111'): Cart => ({
  id,
  lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity, unitPrice: eur(5450), lineTotal: eur(5450 * quantity) }],
  total: eur(5450 * quantity),
  itemCount: quantity,
  version,
});

describe('cart versions', () => {
  it('refetches on a live update newer than the cart shown, and only then', () => {
    const shown = cart(4);
    expect(isNewerThanShown({ cartId: shown.id, itemCount: 2, version: 5 }, shown)).toBe(true);
    expect(isNewerThanShown({ cartId: shown.id, itemCount: 1, version: 4 }, shown)).toBe(false);
    expect(isNewerThanShown({ cartId: shown.id, itemCount: 0, version: 3 }, shown)).toBe(false);
  });

  it('takes any update when nothing is shown yet or it is about another cart', () => {
    expect(isNewerThanShown({ cartId: 'guest-x', itemCount: 1, version: 1 }, undefined)).toBe(true);
    expect(isNewerThanShown({ cartId: 'user-22222222-2222-2222-2222-222222222222', itemCount: 3, version: 1 }, cart(9))).toBe(true);
  });

  it('keeps the newer of two write answers whatever order they arrive in', () => {
    const second = cart(6, 2);
    const first = cart(5, 1);
    expect(newerCart(second, first)).toBe(second);
    expect(newerCart(first, second)).toBe(second);
    expect(newerCart(undefined, first)).toBe(first);
  });

  it("takes the answer when it is another cart (the session's cart changed)", () => {
    const account = cart(1, 3, 'user-22222222-2222-2222-2222-222222222222');
    expect(newerCart(cart(8), account)).toBe(account);
  });

  it('reads the quantity of a product', () => {
    expect(quantityOf(cart(1, 3), 'KIT-0001')).toBe(3);
    expect(quantityOf(cart(1, 3), 'KIT-0002')).toBe(0);
    expect(quantityOf(undefined, 'KIT-0001')).toBe(0);
  });
});
