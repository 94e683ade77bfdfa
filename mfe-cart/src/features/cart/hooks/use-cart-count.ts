import { useEffect, useState } from 'react';
import { CART_UPDATED } from '../../../events.ts';

/**
 * Items in the cart. There is no cart API yet, so it starts at 0; whatever later changes the cart
 * announces it with `cart:updated`, and every mounted mini-cart follows.
 */
export function useCartCount(): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const onUpdated = (event: WindowEventMap[typeof CART_UPDATED]) => setCount(event.detail.itemCount);
    window.addEventListener(CART_UPDATED, onUpdated);
    return () => window.removeEventListener(CART_UPDATED, onUpdated);
  }, []);
  return count;
}
