import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Order } from '@shop/contracts/api/orders';
import { api } from '../../../lib/api-client.ts';
import { ordersQueryKey } from './get-order.ts';

export const orderListQueryKey = [...ordersQueryKey, 'list'] as const;

/** `GET /orders`: the signed-in shopper's orders (401 when signed out). */
export function getOrders(signal?: AbortSignal): Promise<Order[]> {
  return api.get<Order[]>('/orders', { signal });
}

export function ordersQueryOptions() {
  return queryOptions({
    queryKey: orderListQueryKey,
    queryFn: ({ signal }) => getOrders(signal),
    // Fetched on every visit: an order placed a moment ago (in this tab or another) must be in it.
    staleTime: 0,
  });
}

export function useOrders() {
  return useQuery(ordersQueryOptions());
}
