import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Order } from '@shop/contracts/api/orders';
import { getLiveClient } from '@shop/live-client';
import { orderQueryKey } from '../api/get-order.ts';
import { orderListQueryKey } from '../api/get-orders.ts';
import { applyOrderStatus } from '../utils/order-timeline.ts';

/**
 * Moves the order shown along as `order:status` arrives: the new status at once, then a refetch
 * for the server's own history. A reconnect that lost events refetches.
 */
export function useLiveOrder(orderId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const key = orderQueryKey(orderId);
    const refetch = () => void queryClient.invalidateQueries({ queryKey: key });
    const live = getLiveClient();
    const offStatus = live.onOrderStatus((update) => {
      if (update.orderId !== orderId) return;
      const shown = queryClient.getQueryData<Order>(key);
      if (!shown) return refetch();
      const next = applyOrderStatus(shown, update);
      if (next === shown) return;
      queryClient.setQueryData(key, next);
      refetch();
    });
    const offResync = live.onResync(refetch);
    return () => {
      offStatus();
      offResync();
    };
  }, [orderId, queryClient]);
}

/** Keeps the statuses in the list of orders current. */
export function useLiveOrderList(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const live = getLiveClient();
    const offStatus = live.onOrderStatus((update) => {
      const shown = queryClient.getQueryData<Order[]>(orderListQueryKey);
      // An order this page has not seen yet (placed in another tab): fetch the list again.
      if (!shown?.some((order) => order.id === update.orderId)) {
        void queryClient.invalidateQueries({ queryKey: orderListQueryKey });
        return;
      }
      queryClient.setQueryData(
        orderListQueryKey,
        shown.map((order) => applyOrderStatus(order, update)),
      );
    });
    const offResync = live.onResync(() => void queryClient.invalidateQueries({ queryKey: orderListQueryKey }));
    return () => {
      offStatus();
      offResync();
    };
  }, [queryClient]);
}
