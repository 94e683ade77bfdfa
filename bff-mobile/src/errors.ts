/**
 * Every error bff-mobile answers with, as RFC 9457 problem details (`application/problem+json`).
 * The `code` (MOBILE_…) is what an app branches on; `type` is the same thing as a URI.
 */

/** One invalid part of a request: `pointer` into the JSON body (`#/shippingAddress/postalCode`), or a query/path `parameter`. */
export interface FieldProblem {
  detail: string;
  pointer?: string;
  parameter?: string;
  header?: string;
}

export const Problems = {
  MOBILE_VALIDATION_FAILED: { status: 400, title: 'The request has invalid parts' },
  MOBILE_MALFORMED_BODY: { status: 400, title: 'The request body is not valid JSON' },
  MOBILE_INVALID_CURSOR: { status: 400, title: 'The cursor is not one this API issued for this search' },
  MOBILE_UNAUTHORIZED: { status: 401, title: 'A valid access token is required' },
  MOBILE_INVALID_CREDENTIALS: { status: 401, title: 'Email or password is wrong' },
  MOBILE_INVALID_REFRESH_TOKEN: { status: 401, title: 'The refresh token is unknown, expired or used' },
  MOBILE_BAD_REQUEST: { status: 400, title: 'The request cannot be processed' },
  MOBILE_ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  MOBILE_PRODUCT_NOT_FOUND: { status: 404, title: 'No such product' },
  MOBILE_IMAGE_NOT_FOUND: { status: 404, title: 'No such image' },
  MOBILE_ORDER_NOT_FOUND: { status: 404, title: 'No such order' },
  MOBILE_EMAIL_TAKEN: { status: 409, title: 'An account with this email already exists' },
  MOBILE_INSUFFICIENT_STOCK: { status: 409, title: 'Not enough stock' },
  MOBILE_CART_FULL: { status: 409, title: 'The cart is full' },
  MOBILE_CART_EMPTY: { status: 409, title: 'The cart is empty' },
  MOBILE_CHECKOUT_IN_PROGRESS: { status: 409, title: 'A checkout with this Idempotency-Key is still running' },
  MOBILE_BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  MOBILE_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  MOBILE_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used for a different checkout' },
  MOBILE_ORDER_REFUSED: { status: 422, title: 'The order cannot be placed' },
  MOBILE_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  MOBILE_INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  MOBILE_SERVICE_UNAVAILABLE: { status: 503, title: 'A service this needs is unavailable' },
} as const satisfies Record<`MOBILE_${string}`, { status: number; title: string }>;

export type ProblemCode = keyof typeof Problems;

/** The slug in a problem's `type` URI: `MOBILE_CART_EMPTY` → `cart-empty`. */
export const problemSlug = (code: ProblemCode) => code.slice('MOBILE_'.length).toLowerCase().replaceAll('_', '-');

/** An answer the app can act on; the error handler turns it into problem+json. */
export class MobileError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly extras: { errors?: FieldProblem[]; retryAfterS?: number; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(detail);
    this.name = 'MobileError';
    // Only MOBILE_BAD_REQUEST stands for several 4xx statuses (Fastify's own refusals: 405, 406, …).
    this.status = extras.status ?? Problems[code].status;
    this.title = Problems[code].title;
  }
}

export const validationFailed = (errors: FieldProblem[]) =>
  new MobileError('MOBILE_VALIDATION_FAILED', errors.map((e) => `${e.pointer ?? e.parameter ?? e.header ?? ''} ${e.detail}`.trim()).join('; '), { errors });

export const invalidCursor = () =>
  new MobileError('MOBILE_INVALID_CURSOR', 'Start the search again without a cursor, then follow nextCursor', {
    errors: [{ parameter: 'cursor', detail: 'not a cursor of this search' }],
  });

export const unauthorized = (detail: string) =>
  new MobileError('MOBILE_UNAUTHORIZED', detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

export const productNotFound = (sku: string) => new MobileError('MOBILE_PRODUCT_NOT_FOUND', `No product with SKU ${sku}`);
export const imageNotFound = (sku: string) => new MobileError('MOBILE_IMAGE_NOT_FOUND', `No picture of a product with SKU ${sku}`);
// The same answer for an order that does not exist and for somebody else's: nothing is revealed.
export const orderNotFound = (id: string) => new MobileError('MOBILE_ORDER_NOT_FOUND', `You have no order ${id}`);
export const cartEmpty = () => new MobileError('MOBILE_CART_EMPTY', 'Add something to the cart before checking out');

export const idempotencyKeyReused = () =>
  new MobileError(
    'MOBILE_IDEMPOTENCY_KEY_REUSED',
    'The Idempotency-Key belongs to a checkout with another address, card or cart; use a new key for a new checkout',
    { errors: [{ header: 'idempotency-key', detail: 'already used for a different request' }] },
  );

export const checkoutInProgress = () =>
  new MobileError('MOBILE_CHECKOUT_IN_PROGRESS', 'The first request with this key is still being processed; retry shortly', { retryAfterS: 2 });

/** A backend failed or is slow: the message is ours, never the service's internals. */
export const serviceUnavailable = (what: string) =>
  new MobileError('MOBILE_SERVICE_UNAVAILABLE', `${what} is unavailable right now. Please try again shortly.`, { retryAfterS: 5 });
