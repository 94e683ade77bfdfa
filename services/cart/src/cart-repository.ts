import type { Cart } from '@shop/contracts/api/cart';
import { parseStoredCart, toCart, type StoredCart } from './cart-view.ts';
import { cartFull, insufficientStock, unknownProduct } from './errors.ts';
import { cartUpdatedEnvelope } from './events/publish.ts';
import type { ProductProjection } from './product-projection.ts';
import type { CartStore } from './store/cart-store.ts';

/** A guest cart lives 30 days after its last use; an account's cart does not expire. */
export const GUEST_CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** SetLineBody's maximum: merging never takes a line above it either. */
export const MAX_QUANTITY = 99;
/** Bounds what one cart (and so one read of it) can cost. */
export const MAX_LINES = 100;
/** How long a consumed event's marker is kept; redeliveries come within minutes, not weeks. */
const PROCESSED_MARKER_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export const ttlFor = (cartId: string) => (cartId.startsWith('guest-') ? GUEST_CART_TTL_MS : 0);

export type OrderEffect = 'duplicate' | 'superseded' | 'unchanged' | 'removed';

export interface CartRepository {
  get(cartId: string): Promise<Cart>;
  /** Quantity 0 removes the line. Throws CART_UNKNOWN_PRODUCT, CART_INSUFFICIENT_STOCK or CART_FULL and changes nothing. */
  setLine(cartId: string, sku: string, quantity: number): Promise<Cart>;
  /** Moves the lines of `fromId` into `cartId`, capped by stock; `fromId` is left empty. */
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
}

export function cartRepository({ redis, keys, scripts, products, topic }: CartRepositoryOptions): CartRepository {
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
        [sku, quantity, ttlFor(cartId), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId, MAX_LINES],
      )) as [string, unknown];
      const [status, detail] = reply;
      if (status === 'unknown-product') throw unknownProduct(sku);
      if (status === 'insufficient-stock') throw insufficientStock(sku, quantity, Number(detail));
      if (status === 'cart-full') throw cartFull(MAX_LINES);
      return view(cartId, parseStoredCart(detail as string[]));
    },

    async merge(cartId, fromId) {
      const [, flat] = (await scripts.merge(
        [keys.cart(cartId), keys.cart(fromId), keys.outbox, keys.outboxSeq],
        [
          keys.productPrefix, ttlFor(cartId), ttlFor(fromId), Date.now(),
          cartUpdatedEnvelope(cartId), cartUpdatedEnvelope(fromId), topic, cartId, fromId, MAX_LINES, MAX_QUANTITY,
        ],
      )) as [string, string[]];
      return view(cartId, parseStoredCart(flat));
    },

    async clear(cartId) {
      await scripts.clear([keys.cart(cartId), keys.outbox, keys.outboxSeq], [ttlFor(cartId), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId]);
    },

    async removeOrdered(cartId, eventId, eventTime, lines) {
      return (await scripts.removeOrdered(
        [keys.cart(cartId), keys.outbox, keys.outboxSeq, keys.processed('order-confirmed', eventId)],
        [
          PROCESSED_MARKER_TTL_MS, eventTime.getTime(), Date.now(), cartUpdatedEnvelope(cartId), topic, cartId,
          ...lines.flatMap(({ sku, quantity }) => [sku, quantity]),
        ],
      )) as OrderEffect;
    },
  };
}
