import { HttpError } from '@shop/platform/errors';

export const stockNotFound = (sku: string) =>
  new HttpError(404, 'INVENTORY_SKU_NOT_FOUND', `No stock is kept for SKU ${sku}`);
