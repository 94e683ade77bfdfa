import { Type } from 'typebox';
import { CartId } from '@shop/contracts/api/cart';
import { Sku } from '@shop/contracts/money';

export const CartParams = Type.Object({ cartId: CartId });
export const LineParams = Type.Object({ cartId: CartId, sku: Sku });
