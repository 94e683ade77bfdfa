import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Order } from '@shop/contracts/api/orders';
import { api } from '../../../lib/api-client.ts';
import { isFinal } from '../utils/order-timeline.ts';

/** Every orders query key starts here, so one invalidation reaches the list and each order. */
export const ordersQueryKey = ['orders'] as const;
export const orderQueryKey = (orderId: string) => [...ordersQueryKey, 'one', orderId] as const;

/** `GET /orders/:id`: the signed-in shopper's order (404 for anyone else's, 401 when signed out). */
export function getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
  return api.get<Order>(`/orders/${encodeURIComponent(orderId)}`, { signal });
}

/** How often an order still under way is fetched again (ms). */
export const PENDING_ORDER_POLL_MS = 3_000;

/**
 * The refetch interval for an order shown: while its saga runs, a slow poll backs up the live updates
 * (one that lands between the page's first fetch and its subscription would otherwise be lost until a
 * reload); a final order is never fetched again on its own.
 */
export const orderRefetchInterval = (order: Pick<Order, 'status'> | undefined): number | false =>
  order && isFinal(order.status) ? false : PENDING_ORDER_POLL_MS;

export function orderQueryOptions(orderId: string) {
  return queryOptions({
    queryKey: orderQueryKey(orderId),
    queryFn: ({ signal }) => getOrder(orderId, signal),
    // An order that could not be read (another shopper's, signed out) is not polled.
    refetchInterval: (query) => (query.state.status === 'error' ? false : orderRefetchInterval(query.state.data)),
  });
}

export function useOrder(orderId: string) {
  return useQuery(orderQueryOptions(orderId));
}
