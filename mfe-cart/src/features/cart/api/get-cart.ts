import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Cart } from '@shop/contracts/api/cart';
import { api } from '../../../lib/api-client.ts';

export const cartQueryKey = ['cart'] as const;

/** `GET /cart`: the session's cart (a guest's or the signed-in account's). */
export function getCart(signal?: AbortSignal): Promise<Cart> {
  return api.get<Cart>('/cart', { signal });
}

export function cartQueryOptions() {
  return queryOptions({ queryKey: cartQueryKey, queryFn: ({ signal }) => getCart(signal) });
}

export function useCart() {
  return useQuery(cartQueryOptions());
}
