import { HttpError } from '@shop/platform/errors';

export const unknownProduct = (sku: string) =>
  new HttpError(404, 'CART_UNKNOWN_PRODUCT', `No product with SKU ${sku} is for sale`);

export const insufficientStock = (sku: string, requested: number, available: number) =>
  new HttpError(
    409,
    'CART_INSUFFICIENT_STOCK',
    available === 0
      ? `${sku} is out of stock`
      : `Only ${available} of ${sku} left; ${requested} cannot be put in the cart`,
  );

export const cartFull = (maxLines: number) =>
  new HttpError(409, 'CART_FULL', `A cart holds at most ${maxLines} different products; remove one first`);

export const mergeIntoItself = (cartId: string) =>
  new HttpError(400, 'CART_MERGE_INTO_ITSELF', `Cannot merge cart ${cartId} into itself`);

export const quantityLimit = (sku: string, requested: number, max: number) =>
  new HttpError(409, 'CART_QUANTITY_LIMIT', `At most ${max} of ${sku} fit in one cart (CART_MAX_QUANTITY); ${requested} cannot be put in it`);

export const cartTotalLimit = (sku: string, total: number, maxMinor: number) =>
  new HttpError(
    409,
    'CART_TOTAL_LIMIT',
    `With this quantity of ${sku} the cart would total ${total} (minor units), more than the ${maxMinor} one cart may hold (CART_MAX_TOTAL_MINOR)`,
  );

/** 503 with Retry-After: the cart's outbox holds as many events as it may (Kafka has been away); nothing was changed. */
export class CartOutboxFullError extends HttpError {
  constructor(
    max: number,
    readonly retryAfterS: number,
  ) {
    super(503, 'CART_OUTBOX_FULL', `The cart cannot take changes right now (${max} updates wait to be published); try again in ${retryAfterS} s`);
  }
}
export const outboxFull = (max: number, retryAfterS: number) => new CartOutboxFullError(max, retryAfterS);

/** For the consumers: the outbox is full, so the event's effect waits (retried, never dead-lettered). */
export class OutboxFullError extends Error {
  constructor(max: number) {
    super(`the cart's outbox holds ${max} events, its limit (CART_OUTBOX_MAX); waiting for the relay`);
    this.name = 'OutboxFullError';
  }
}
