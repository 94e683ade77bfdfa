import { queryOptions, useQuery } from '@tanstack/react-query';
import type { WebCart } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';

export const cartQueryKey = ['cart'] as const;

/** `GET /cart`: the session's cart (a guest's or the signed-in account's), its amounts with their display text. */
export function getCart(signal?: AbortSignal): Promise<WebCart> {
  return api.get<WebCart>('/cart', { signal });
}

export function cartQueryOptions() {
  return queryOptions({ queryKey: cartQueryKey, queryFn: ({ signal }) => getCart(signal) });
}

export function useCart() {
  return useQuery(cartQueryOptions());
}
