import { Type } from 'typebox';
import { Sku } from '@shop/contracts/money';

export const SkuParams = Type.Object({ sku: Sku });
export const ImageParams = Type.Object({
  file: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}\\.svg$', description: '<SKU>.svg' }),
});
