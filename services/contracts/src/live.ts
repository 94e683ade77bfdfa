import type { Money } from './money.ts';
import type { StockStatus } from './api/stock.ts';
import type { OrderStatus } from './api/orders.ts';

/**
 * Messages on bff-web's socket.io hub (path /socket.io, websocket transport).
 * A page asks to `watch` the products it shows; it joins one room per product.
 * Connection state recovery replays what a briefly disconnected page missed; a page whose
 * socket could not be recovered refetches its data (a fresh snapshot).
 */
export const LiveRooms = {
  product: (sku: string) => `product:${sku}`,
  /** Joined by the server from the session, never on a client's request. */
  user: (userId: string) => `user:${userId}`,
  cart: (cartId: string) => `cart:${cartId}`,
} as const;

export interface StockUpdate { sku: string; available: number; status: StockStatus; version: number }
/** `price.formatted`: its display text, as in bff-web's pages (`WebProduct.price.formatted`). */
export interface PriceUpdate { sku: string; price: Money & { formatted: string }; version: number }

export interface CartUpdate { cartId: string; itemCount: number; version: number }
export interface OrderStatusUpdate { orderId: string; status: OrderStatus; reason?: string; version: number }

export interface ServerToClientEvents {
  'stock:changed': (update: StockUpdate) => void;
  'price:changed': (update: PriceUpdate) => void;
  /** To every tab of the cart's owner; the tab refetches the cart. */
  'cart:changed': (update: CartUpdate) => void;
  'order:status': (update: OrderStatusUpdate) => void;
}

export interface ClientToServerEvents {
  /** Join the rooms of these products (at most 100 per call); acks with how many rooms were joined. */
  watch: (skus: string[], ack?: (result: { watching: number } | { error: string }) => void) => void;
  unwatch: (skus: string[]) => void;
}
