import { Type, type Static } from 'typebox';
import { SetLineBody } from '@shop/contracts/api/cart';
import { Sku } from '@shop/contracts/money';
import { Money } from './catalog.ts';
import { ref } from './shared.ts';

export const CartLine = Type.Object(
  { sku: Sku, name: Type.String(), quantity: Type.Integer({ minimum: 1 }), unitPrice: ref(Money), lineTotal: ref(Money) },
  { $id: 'CartLine' },
);

export const MobileCart = Type.Object({ lines: Type.Array(ref(CartLine)), total: ref(Money) }, { $id: 'Cart' });
export type MobileCart = Static<typeof MobileCart>;

export const SetLineRequest = Type.Object(SetLineBody.properties, { additionalProperties: false, description: 'quantity 0 removes the line' });

export const cartSchemas = [CartLine, MobileCart];
