import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { WebCart } from '@shop/contracts/api/web';
import { getLiveClient } from '@shop/live-client';
import { CART_UPDATED } from '../../../events.ts';
import { cartQueryKey } from '../api/get-cart.ts';
import { isNewerThanShown } from '../utils/cart-versions.ts';

let subscribers = 0;
let unsubscribe: (() => void) | undefined;

/**
 * Refetches the cart when it changes anywhere: `cart:changed` on the socket (another tab, another
 * device, the checkout emptying it), `cart:updated` on this page, or a reconnect that lost events.
 * Subscribed once however many components ask, so one change is one refetch.
 */
function subscribe(queryClient: QueryClient): () => void {
  if (subscribers++ === 0) {
    const refetch = () => void queryClient.invalidateQueries({ queryKey: cartQueryKey });
    const shown = () => queryClient.getQueryData<WebCart>(cartQueryKey);
    const live = getLiveClient();
    const offCart = live.onCartChanged((update) => {
      if (isNewerThanShown(update, shown())) refetch();
    });
    const offResync = live.onResync(refetch);
    // This fragment's own writes have already put their answer in place; someone else's have not.
    const onUpdated = (event: WindowEventMap[typeof CART_UPDATED]) => {
      if (event.detail.itemCount !== shown()?.itemCount) refetch();
    };
    window.addEventListener(CART_UPDATED, onUpdated);
    unsubscribe = () => {
      offCart();
      offResync();
      window.removeEventListener(CART_UPDATED, onUpdated);
    };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--subscribers === 0) {
      unsubscribe?.();
      unsubscribe = undefined;
    }
  };
}

export function useLiveCart(): void {
  const queryClient = useQueryClient();
  useEffect(() => subscribe(queryClient), [queryClient]);
}
