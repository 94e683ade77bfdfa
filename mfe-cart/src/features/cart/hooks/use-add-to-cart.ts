import { useMutation, useQueryClient } from '@tanstack/react-query';
import { cartQueryOptions } from '../api/get-cart.ts';
import { applyCartAnswer, setCartLine } from '../api/set-cart-line.ts';
import { quantityOf } from '../utils/cart-versions.ts';

/**
 * One more of this product. The API sets absolute quantities, so the current one comes from the
 * cart this fragment holds (kept fresh by live updates; fetched first if it has none or it is stale).
 */
export function useAddToCart(sku: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const cart = await queryClient.fetchQuery(cartQueryOptions());
      return setCartLine(sku, quantityOf(cart, sku) + 1);
    },
    onSuccess: (cart) => applyCartAnswer(queryClient, cart),
  });
}
