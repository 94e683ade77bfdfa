import { HttpError } from '@shop/platform/errors';

export const orderNotFound = (id: string) =>
  new HttpError(404, 'ORDERS_NOT_FOUND', `No order ${id} for this customer`);

export const duplicateSku = (index: number, sku: string) =>
  new HttpError(400, 'ORDERS_DUPLICATE_LINE', `lines/${index}/sku ${sku} appears in more than one line; put the whole quantity in one line`);

export const totalTooLarge = (max: number) =>
  new HttpError(400, 'ORDERS_TOTAL_TOO_LARGE', `total is more than ${max} (minor units), the most one order can be`);
