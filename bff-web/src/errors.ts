import { HttpError } from '@shop/platform/errors';

export const productNotFound = (sku: string) =>
  new HttpError(404, 'WEB_PRODUCT_NOT_FOUND', `No product with SKU ${sku}`);

export const imageNotFound = (file: string) => new HttpError(404, 'WEB_IMAGE_NOT_FOUND', `No image named ${file}`);

export const pageOutOfRange = (maxOffset: number) =>
  new HttpError(400, 'WEB_PAGE_OUT_OF_RANGE', `page × pageSize reaches past product ${maxOffset}; narrow the search instead`);

// 5xx HttpErrors are deliberate and safe to show: the app's error handler sends their message as is.
export const catalogUnavailable = () =>
  new HttpError(503, 'WEB_CATALOG_UNAVAILABLE', 'The catalog is unavailable right now. Please try again shortly.');

export const imageUnavailable = () =>
  new HttpError(503, 'WEB_IMAGE_UNAVAILABLE', 'Product images are unavailable right now. Please try again shortly.');

/** What the page tells the shopper about a part it could not fill. */
export const DegradedMessages = {
  catalog: 'The catalog is unavailable right now. Please try again shortly.',
  categories: 'Categories are unavailable right now.',
  stock: 'Live stock levels are unavailable right now.',
} as const;

/** A 400 (or 409) about a form: `fields` maps each field's path (`shippingAddress/postalCode`) to what is wrong with it. */
export class FormHttpError extends HttpError {
  constructor(
    statusCode: number,
    code: string,
    message: string,
    readonly fields: Record<string, string>,
  ) {
    super(statusCode, code, message);
  }
}

/** A deliberate 503 or 429 that tells the client when to come back: the error handler sends `Retry-After`. */
export class RetryLaterError extends HttpError {
  constructor(
    statusCode: number,
    code: string,
    message: string,
    /** Seconds (RFC 9110 `Retry-After` delay-seconds). */
    readonly retryAfterS: number,
  ) {
    super(statusCode, code, message);
  }
}

/** Too many new guest sessions stored from one address: how a flood of first writes is turned away. */
export const tooManySessions = (retryAfterS: number) =>
  new RetryLaterError(
    429,
    'WEB_TOO_MANY_SESSIONS',
    `Too many new sessions from your address. Please try again in ${retryAfterS} second${retryAfterS === 1 ? '' : 's'}.`,
    retryAfterS,
  );

/** Sign-in backing off after failed attempts for this account from this address (or many from this address). */
export const signInBackoff = (retryAfterS: number) =>
  new RetryLaterError(
    429,
    'WEB_TOO_MANY_ATTEMPTS',
    `Too many failed sign-ins from your address. Please try again in ${retryAfterS} second${retryAfterS === 1 ? '' : 's'}.`,
    retryAfterS,
  );

export const invalidForm = (fields: Record<string, string>) =>
  new FormHttpError(400, 'WEB_INVALID_FORM', `Please check: ${Object.keys(fields).join(', ')}`, fields);

export const csrfTokenInvalid = () =>
  new HttpError(403, 'WEB_CSRF_TOKEN_INVALID', 'Missing or wrong x-csrf-token header: send the csrfToken that GET /api/session answers');

export const signInRequired = () => new HttpError(401, 'WEB_SIGN_IN_REQUIRED', 'Please sign in first');

export const invalidCredentials = () => new HttpError(401, 'WEB_INVALID_CREDENTIALS', 'The email or password is not correct');

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    'WEB_TOO_MANY_ATTEMPTS',
    `Too many attempts to sign in or register from your address. Please try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
  );

export const emailTaken = () =>
  new FormHttpError(409, 'WEB_EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', {
    email: 'An account with this email already exists',
  });

/** The cart service's own words ("Only 2 left of KIT-0001") are for the shopper, so they are passed on. */
export const unknownProduct = (message: string) => new HttpError(404, 'WEB_PRODUCT_NOT_FOUND', message);
export const insufficientStock = (message: string) => new HttpError(409, 'WEB_INSUFFICIENT_STOCK', message);
export const cartRefused = (status: number, message: string) => new HttpError(status === 409 ? 409 : 400, 'WEB_CART_REFUSED', message);

export const cartEmpty = () => new HttpError(409, 'WEB_CART_EMPTY', 'Your cart is empty: add something before checking out');
export const cartTooLarge = (max: number) =>
  new HttpError(409, 'WEB_CART_TOO_LARGE', `One order takes at most ${max} different products; please split your order`);

export const checkoutRefused = (status: number, message: string) =>
  new HttpError(status === 409 ? 409 : 400, 'WEB_CHECKOUT_REFUSED', message);

export const orderNotFound = (id: string) => new HttpError(404, 'WEB_ORDER_NOT_FOUND', `You have no order ${id}`);

const unavailable = (code: string, what: string) =>
  new HttpError(503, code, `${what} unavailable right now. Please try again shortly.`);
export const cartUnavailable = () => unavailable('WEB_CART_UNAVAILABLE', 'The cart is');
export const ordersUnavailable = () => unavailable('WEB_ORDERS_UNAVAILABLE', 'Orders are');
export const paymentsUnavailable = () => unavailable('WEB_PAYMENTS_UNAVAILABLE', 'Payment is');
export const identityUnavailable = () => unavailable('WEB_IDENTITY_UNAVAILABLE', 'Sign-in is');
/** Identity shed this call (a burst of sign-ups): a quick answer and when to retry, not an outage. */
export const identityBusy = (retryAfterS: number) =>
  new RetryLaterError(503, 'WEB_IDENTITY_BUSY', `Sign-in is busy right now. Please try again in ${retryAfterS} second${retryAfterS === 1 ? '' : 's'}.`, retryAfterS);
/** The cart service's answer for this cart breaks the contract (a total beyond the largest amount): this cart only. */
export const cartUnreadable = () =>
  new HttpError(502, 'WEB_CART_UNREADABLE', 'Your cart could not be read: the cart service answered with a cart we cannot show. Please remove the last item you added, or try again later.');
export const sessionUnavailable = () => unavailable('WEB_SESSION_UNAVAILABLE', 'Your session is');

/** Fragment reports from one address or release session past their limit (a burst, or a loop in a page). */
export const tooManyReports = (retryAfterS: number) =>
  new RetryLaterError(
    429,
    'WEB_TOO_MANY_REPORTS',
    `Too many fragment reports. Please send the next one in ${retryAfterS} second${retryAfterS === 1 ? '' : 's'}.`,
    retryAfterS,
  );

/** A browser page of another site (its `Origin` is not the shell's) tried to post a report. */
export const originNotAllowed = (origin: string) =>
  new HttpError(403, 'WEB_ORIGIN_NOT_ALLOWED', `Pages of ${origin.slice(0, 100)} may not send fragment reports`);
