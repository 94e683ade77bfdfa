import { CartEventTypes, CartUpdated } from '@shop/contracts/events/cart';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { OrderEventTypes, OrderStatusChanged } from '@shop/contracts/events/orders';
import { liveEventHandler, onEvent } from '@shop/platform/live-intake';
import { stockStatus } from '@shop/platform/stock-status';
import { streams, type StockMessage, type UserChange } from '../schemas/live.ts';
import type { ChangeLog } from './change-log.ts';

const USER_CART = /^user-(.+)$/;

/**
 * Writes the changes apps are told about into the change log. Stock is logged under its own version
 * (stale and repeated events fall away); a user's cart and order changes share one stream, numbered by
 * the log and kept free of redelivered events by their event id. Other event types are not for apps; an
 * event that breaks its contract throws InvalidLiveEvent (the consumer retries, then dead-letters it).
 */
export function changeRecorder(log: ChangeLog) {
  return liveEventHandler([
    onEvent(InventoryEventTypes.stockChanged, StockChanged, async ({ data: { sku, available, version } }) => {
      const message: StockMessage = { sku, available, status: stockStatus(available), version };
      await log.append(streams.stock(sku), message, { version });
    }),
    onEvent(CartEventTypes.updated, CartUpdated, async ({ id, data: { cartId, itemCount, version } }) => {
      const userId = USER_CART.exec(cartId)?.[1];
      if (!userId) return; // a guest's cart: no app is signed in to it
      const change: UserChange = { kind: 'cart', itemCount, version };
      await log.append(streams.user(userId), change, { dedupeKey: id });
    }),
    onEvent(OrderEventTypes.statusChanged, OrderStatusChanged, async ({ id, data: { orderId, customerId, status, reason, version } }) => {
      const change: UserChange = { kind: 'order', orderId, status, ...(reason ? { reason } : {}), version };
      await log.append(streams.user(customerId), change, { dedupeKey: id });
    }),
  ]);
}
