import { useCallback, useEffect, useRef, useState } from 'react';
import type { WebProduct } from '@shop/contracts/api/web';
import { getLiveClient } from '@shop/live-client';
import { applyPriceUpdate, applyStockUpdate, emptyLiveState, withLiveUpdates } from '../lib/live-products.ts';

/**
 * Watches these products on the page's shared socket and returns a function that lays the newest
 * live stock and price over a fetched product. `onResync` runs when missed updates cannot be
 * replayed after a reconnect, and once the products are watched; callers refetch then.
 */
export function useLiveProducts(skus: readonly string[], onResync: () => void): (product: WebProduct) => WebProduct {
  const [live, setLive] = useState(emptyLiveState);
  const resync = useRef(onResync);
  useEffect(() => {
    resync.current = onResync;
  });

  // A string key so a new array with the same skus does not re-subscribe.
  const key = [...new Set(skus)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    const watched = new Set(key.split(','));
    const client = getLiveClient();
    // Once the hub has them, refetch: the data shown may predate the watch (the server-rendered first
    // screen, a page fetched just before), and a change in between would otherwise be missed.
    const release = client.watch([...watched], () => resync.current());
    const offStock = client.onStockChanged((update) => {
      if (watched.has(update.sku)) setLive((state) => applyStockUpdate(state, update));
    });
    const offPrice = client.onPriceChanged((update) => {
      if (watched.has(update.sku)) setLive((state) => applyPriceUpdate(state, update));
    });
    const offResync = client.onResync(() => resync.current());
    return () => {
      offStock();
      offPrice();
      offResync();
      release();
    };
  }, [key]);

  return useCallback((product: WebProduct) => withLiveUpdates(product, live), [live]);
}
