import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Cart, SetLineBody } from '@shop/contracts/api/cart';
import { api } from '../../../lib/api-client.ts';
import { cartUpdatedEvent } from '../../../events.ts';
import { newerCart } from '../utils/cart-versions.ts';
import { cartQueryKey } from './get-cart.ts';

/**
 * `PUT /cart/lines/:sku` with the line's new quantity (0 removes it) → the whole cart.
 * 409 `CART_INSUFFICIENT_STOCK` says how many are left; 404 for an unknown product.
 */
export function setCartLine(sku: string, quantity: number): Promise<Cart> {
  const body: SetLineBody = { quantity };
  return api.send<Cart>('PUT', `/cart/lines/${encodeURIComponent(sku)}`, body);
}

/** Shows the answered cart at once and tells the rest of the page (`cart:updated`). */
export function applyCartAnswer(queryClient: QueryClient, cart: Cart): void {
  queryClient.setQueryData<Cart>(cartQueryKey, (shown) => newerCart(shown, cart));
  window.dispatchEvent(cartUpdatedEvent({ itemCount: cart.itemCount }));
}

export function useSetCartLine() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sku, quantity }: { sku: string; quantity: number }) => setCartLine(sku, quantity),
    onSuccess: (cart) => applyCartAnswer(queryClient, cart),
  });
}
