import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Order } from '@shop/contracts/api/orders';
import { api } from '../../../lib/api-client.ts';

/** Every orders query key starts here, so one invalidation reaches the list and each order. */
export const ordersQueryKey = ['orders'] as const;
export const orderQueryKey = (orderId: string) => [...ordersQueryKey, 'one', orderId] as const;

/** `GET /orders/:id`: the signed-in shopper's order (404 for anyone else's, 401 when signed out). */
export function getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
  return api.get<Order>(`/orders/${encodeURIComponent(orderId)}`, { signal });
}

export function orderQueryOptions(orderId: string) {
  return queryOptions({ queryKey: orderQueryKey(orderId), queryFn: ({ signal }) => getOrder(orderId, signal) });
}

export function useOrder(orderId: string) {
  return useQuery(orderQueryOptions(orderId));
}
