import { Type } from 'typebox';
import { Sku } from '@shop/contracts/money';

export const SkuParams = Type.Object({ sku: Sku });
