import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CartEventTypes, CartUpdated } from '@shop/contracts/events/cart';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { OrderEventTypes, OrderStatusChanged } from '@shop/contracts/events/orders';
import { stockStatus } from '../lib/products.ts';
import { streams, type StockMessage, type UserChange } from '../schemas/live.ts';
import type { ChangeLog } from './change-log.ts';

const isStockChanged = Compile(StockChanged);
const isCartUpdated = Compile(CartUpdated);
const isOrderStatusChanged = Compile(OrderStatusChanged);

/** A handled event type whose data breaks its contract: thrown so the consumer retries, then dead-letters it. */
export class InvalidLiveEvent extends Error {
  override name = 'InvalidLiveEvent';
}

function invalid(check: { Errors(value: unknown): { instancePath: string; message: string }[] }, event: CloudEvent): InvalidLiveEvent {
  const first = check.Errors(event)[0];
  return new InvalidLiveEvent(`${event.type} ${event.id}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`);
}

const USER_CART = /^user-(.+)$/;

/**
 * Writes the changes apps are told about into the change log. Stock is logged under its own version
 * (stale and repeated events fall away); a user's cart and order changes share one stream, numbered by
 * the log and kept free of redelivered events by their event id. Other event types are not for apps.
 */
export function changeRecorder(log: ChangeLog) {
  return async (event: CloudEvent): Promise<void> => {
    switch (event.type) {
      case InventoryEventTypes.stockChanged: {
        if (!isStockChanged.Check(event)) throw invalid(isStockChanged, event);
        const { sku, available, version } = event.data;
        const message: StockMessage = { sku, available, status: stockStatus(available), version };
        await log.append(streams.stock(sku), message, { version });
        return;
      }
      case CartEventTypes.updated: {
        if (!isCartUpdated.Check(event)) throw invalid(isCartUpdated, event);
        const { cartId, itemCount, version } = event.data;
        const userId = USER_CART.exec(cartId)?.[1];
        if (!userId) return; // a guest's cart: no app is signed in to it
        const change: UserChange = { kind: 'cart', itemCount, version };
        await log.append(streams.user(userId), change, { dedupeKey: event.id });
        return;
      }
      case OrderEventTypes.statusChanged: {
        if (!isOrderStatusChanged.Check(event)) throw invalid(isOrderStatusChanged, event);
        const { orderId, customerId, status, reason, version } = event.data;
        const change: UserChange = { kind: 'order', orderId, status, ...(reason ? { reason } : {}), version };
        await log.append(streams.user(customerId), change, { dedupeKey: event.id });
        return;
      }
      default:
        return;
    }
  };
}
