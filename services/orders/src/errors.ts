import { HttpError } from '@shop/platform/errors';

export const orderNotFound = (id: string) =>
  new HttpError(404, 'ORDERS_NOT_FOUND', `No order ${id} for this customer`);

export const duplicateSku = (index: number, sku: string) =>
  new HttpError(400, 'ORDERS_DUPLICATE_LINE', `lines/${index}/sku ${sku} appears in more than one line; put the whole quantity in one line`);

export const totalTooLarge = (max: number) =>
  new HttpError(400, 'ORDERS_TOTAL_TOO_LARGE', `total is more than ${max} (minor units), the most one order can be`);

export const productNotInCatalog = (index: number, sku: string) =>
  new HttpError(409, 'ORDERS_PRODUCT_UNKNOWN', `lines/${index}/sku ${sku} is not in the catalog, so it cannot be ordered; remove it from the cart`);

export const productNotPriced = (index: number, sku: string, name: string) =>
  new HttpError(409, 'ORDERS_PRODUCT_NOT_PRICED', `lines/${index}/sku ${sku} (${name}) has no price in the catalog, so it cannot be ordered; remove it from the cart`);

export const catalogUnavailable = () =>
  new HttpError(503, 'ORDERS_CATALOG_UNAVAILABLE', 'Cannot price the order: the catalog is unavailable right now; try again shortly');
