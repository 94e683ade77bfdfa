import { Type, type Static } from 'typebox';
import { Sku } from '@shop/contracts/money';
import { MAX_SKUS_PER_UNWATCH, MAX_SKUS_PER_WATCH } from '@shop/platform/live-limits';
import type { OrderStatus } from '@shop/contracts/api/orders';
import type { StockStatus } from '@shop/contracts/api/stock';

/**
 * The `/m` socket.io namespace. An app connects with its access token and, when it resumes, the last
 * positions it saw: `since.user` (the `seq` of the last cart/order message or `sync`) and `since.stock`
 * (per product, the last stock `version`). It gets what it missed, in order, once each, then live changes;
 * or, for a position too old to replay, a snapshot (`snapshot: true`).
 */

/** A position in a user's stream of cart and order changes; opaque to the app. */
export const Seq = Type.String({ pattern: '^\\d{1,19}-\\d{1,19}$' });


const SkuVersions = Type.Record(Type.String({ pattern: (Sku as { pattern?: string }).pattern }), Type.Integer({ minimum: 0 }), {
  additionalProperties: false,
  maxProperties: MAX_SKUS_PER_WATCH,
});

export const LiveHandshake = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  since: Type.Optional(
    Type.Object({
      user: Type.Optional(Seq),
      /** Products to watch again, each with the last stock version the app saw. */
      stock: Type.Optional(SkuVersions),
    }),
  ),
});
export type LiveHandshake = Static<typeof LiveHandshake>;

export const WatchRequest = Type.Object({
  skus: Type.Array(Sku, { maxItems: MAX_SKUS_PER_WATCH }),
  /** Last stock version the app saw of some of them: changes after it are replayed instead of a snapshot. */
  since: Type.Optional(SkuVersions),
});
export type WatchRequest = Static<typeof WatchRequest>;

export const UnwatchRequest = Type.Array(Sku, { maxItems: MAX_SKUS_PER_UNWATCH });

export interface StockMessage {
  sku: string;
  available: number;
  status: StockStatus;
  version: number;
  /** The current level rather than one change: the changes since the app's version can no longer be replayed. */
  snapshot?: true;
}

export interface CartMessage {
  seq: string;
  /** Units in the cart; the app refetches `GET /cart` if it shows the lines. */
  itemCount: number;
  version: number;
}

export interface OrderMessage {
  seq: string;
  orderId: string;
  status: OrderStatus;
  reason?: string;
  version: number;
}

/**
 * After connecting (and after any replay): the user stream's position. `snapshot: true` when the app gave
 * no position or one too old to replay: it should refetch its cart and orders, then go on from `seq`.
 */
export interface SyncMessage {
  seq: string;
  snapshot: boolean;
}

export interface MobileServerEvents {
  'stock:changed': (message: StockMessage) => void;
  'cart:changed': (message: CartMessage) => void;
  'order:status': (message: OrderMessage) => void;
  sync: (message: SyncMessage) => void;
}

export type WatchAck = { watching: number } | { error: string };

export interface MobileClientEvents {
  watch: (request: WatchRequest, ack?: (result: WatchAck) => void) => void;
  unwatch: (skus: string[]) => void;
}

/** What a log entry of a user stream holds. */
export type UserChange =
  | { kind: 'cart'; itemCount: number; version: number }
  | { kind: 'order'; orderId: string; status: OrderStatus; reason?: string; version: number };

export const streams = {
  stock: (sku: string) => `stock:${sku}`,
  user: (userId: string) => `user:${userId}`,
} as const;
