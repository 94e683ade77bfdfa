import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { SetLineBody } from '@shop/contracts/api/cart';
import type { WebCart } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';
import { cartUpdatedEvent } from '../../../events.ts';
import { newerCart } from '../utils/cart-versions.ts';
import { cartQueryKey } from './get-cart.ts';

/**
 * `PUT /cart/lines/:sku` with the line's new quantity (0 removes it) → the whole cart.
 * 409 `CART_INSUFFICIENT_STOCK` says how many are left; 404 for an unknown product.
 */
export function setCartLine(sku: string, quantity: number): Promise<WebCart> {
  const body: SetLineBody = { quantity };
  return api.send<WebCart>('PUT', `/cart/lines/${encodeURIComponent(sku)}`, body);
}

/** Shows the answered cart at once and tells the rest of the page (`cart:updated`). */
export function applyCartAnswer(queryClient: QueryClient, cart: WebCart): void {
  queryClient.setQueryData<WebCart>(cartQueryKey, (shown) => newerCart(shown, cart));
  window.dispatchEvent(cartUpdatedEvent({ itemCount: cart.itemCount }));
}

export function useSetCartLine() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sku, quantity }: { sku: string; quantity: number }) => setCartLine(sku, quantity),
    onSuccess: (cart) => applyCartAnswer(queryClient, cart),
  });
}
