import { HttpError } from '@shop/platform/errors';

export const productNotFound = (sku: string) =>
  new HttpError(404, 'CATALOG_PRODUCT_NOT_FOUND', `No product with SKU ${sku}`);

export const imageNotFound = (file: string) =>
  new HttpError(404, 'CATALOG_IMAGE_NOT_FOUND', `No image named ${file}`);
