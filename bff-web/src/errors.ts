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
