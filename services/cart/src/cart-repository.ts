import type { Cart } from '@shop/contracts/api/cart';
import { parseStoredCart, toCart, type StoredCart } from './cart-view.ts';
import { cartFull, cartTotalLimit, insufficientStock, OutboxFullError, outboxFull, quantityLimit, unknownProduct } from './errors.ts';
import { cartUpdatedEnvelope } from './events/publish.ts';
import type { ProductProjection } from './product-projection.ts';
import type { CartStore } from './store/cart-store.ts';

/** A guest cart lives 30 days after its last use; an account's cart does not expire. */
export const GUEST_CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** The bounds a change must keep (CART_* variables; defaults in config.ts). */
export interface CartLimits {
  /** Different products in one cart. */
  maxLines: number;
  /** Units of one product in one cart. */
  maxQuantity: number;
  /** The cart's total at current prices, in minor units: never more than Money holds. */
  maxTotalMinor: number;
  /** Events waiting in the outbox stream (while Kafka is down); a change beyond it is refused with 503. */
  outboxMax: number;
  /** What a 503 for a full outbox advises in Retry-After (s). */
  outboxRetryAfterS: number;
}
/** How long a consumed event's marker is kept; redeliveries come within minutes, not weeks. */
const PROCESSED_MARKER_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export const ttlFor = (cartId: string) => (cartId.startsWith('guest-') ? GUEST_CART_TTL_MS : 0);

export type OrderEffect = 'duplicate' | 'superseded' | 'unchanged' | 'removed';

export interface CartRepository {
  get(cartId: string): Promise<Cart>;
  /**
   * Quantity 0 removes the line. Throws CART_UNKNOWN_PRODUCT, CART_INSUFFICIENT_STOCK, CART_FULL, CART_QUANTITY_LIMIT,
   * CART_TOTAL_LIMIT (409s) or CART_OUTBOX_FULL (503) and changes nothing.
   */
  setLine(cartId: string, sku: string, quantity: number): Promise<Cart>;
  /** Moves the lines of `fromId` into `cartId`, capped by stock and the limits; `fromId` is left empty. Throws CART_OUTBOX_FULL (503). */
  merge(cartId: string, fromId: string): Promise<Cart>;
  clear(cartId: string): Promise<void>;
  /**
   * `order.confirmed`: takes the ordered quantities off the cart, once per event (`eventId`); lines
   * the order did not have stay. `superseded` when the cart changed after `eventTime`.
   */
  removeOrdered(cartId: string, eventId: string, eventTime: Date, lines: readonly { sku: string; quantity: number }[]): Promise<OrderEffect>;
}

export interface CartRepositoryOptions extends CartStore {
  products: ProductProjection;
  /** The (prefixed) topic `cart.updated` goes to. */
  topic: string;
  limits: CartLimits;
}

export function cartRepository({ redis, keys, scripts, products, topic, limits }: CartRepositoryOptions): CartRepository {
  const full = () => outboxFull(limits.outboxMax, limits.outboxRetryAfterS);
  const view = async (cartId: string, stored: StoredCart) => toCart(cartId, stored, await products.find([...stored.lines.keys()]));

  return {
    async get(cartId) {
      const key = keys.cart(cartId);
      const ttl = ttlFor(cartId);
      // Reading a guest cart counts as using it: the read and the TTL refresh go together.
      const tx = redis.multi().hgetall(key);
      if (ttl > 0) tx.pexpire(key, ttl);
      const [[err, hash] = []] = (await tx.exec()) ?? [];
      if (err) throw err;
      const flat = Object.entries((hash ?? {}) as Record<string, string>).flat();
      return view(cartId, parseStoredCart(flat));
    },

    async setLine(cartId, sku, quantity) {
      const reply = (await scripts.setLine(
        [keys.cart(cartId), keys.product(sku), keys.outbox, keys.outboxSeq],
        [
          sku, quantity, ttlFor(cartId), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId,
          limits.maxLines, limits.maxQuantity, limits.maxTotalMinor, keys.productPrefix, limits.outboxMax,
        ],
      )) as [string, unknown];
      const [status, detail] = reply;
      if (status === 'unknown-product') throw unknownProduct(sku);
      if (status === 'insufficient-stock') throw insufficientStock(sku, quantity, Number(detail));
      if (status === 'cart-full') throw cartFull(limits.maxLines);
      if (status === 'quantity-limit') throw quantityLimit(sku, quantity, limits.maxQuantity);
      if (status === 'total-limit') throw cartTotalLimit(sku, Number(detail), limits.maxTotalMinor);
      if (status === 'outbox-full') throw full();
      return view(cartId, parseStoredCart(detail as string[]));
    },

    async merge(cartId, fromId) {
      const [status, flat] = (await scripts.merge(
        [keys.cart(cartId), keys.cart(fromId), keys.outbox, keys.outboxSeq],
        [
          keys.productPrefix, ttlFor(cartId), ttlFor(fromId), Date.now(),
          cartUpdatedEnvelope(cartId), cartUpdatedEnvelope(fromId), topic, cartId, fromId, limits.maxLines, limits.maxQuantity,
          limits.maxTotalMinor, limits.outboxMax,
        ],
      )) as [string, string[]];
      if (status === 'outbox-full') throw full();
      return view(cartId, parseStoredCart(flat));
    },

    async clear(cartId) {
      const status = await scripts.clear(
        [keys.cart(cartId), keys.outbox, keys.outboxSeq],
        [ttlFor(cartId), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId, limits.outboxMax],
      );
      if (status === 'outbox-full') throw full();
    },

    async removeOrdered(cartId, eventId, eventTime, lines) {
      const effect = (await scripts.removeOrdered(
        [keys.cart(cartId), keys.outbox, keys.outboxSeq, keys.processed('order-confirmed', eventId)],
        [
          PROCESSED_MARKER_TTL_MS, eventTime.getTime(), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId, limits.outboxMax,
          ...lines.flatMap(({ sku, quantity }) => [sku, quantity]),
        ],
      )) as OrderEffect | 'outbox-full';
      // Waited out like a store outage (the consumer retries it, never dead-letters it).
      if (effect === 'outbox-full') throw new OutboxFullError(limits.outboxMax);
      return effect;
    },
  };
}
