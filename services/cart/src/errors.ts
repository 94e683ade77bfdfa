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
