import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';
import { Money, Sku } from '../money.ts';

export const CatalogEventTypes = {
  priceChanged: 'catalog.price.changed',
  productUpserted: 'catalog.product.upserted',
} as const;

export const PriceChangedData = Type.Object({
  sku: Sku,
  price: Money,
  previousPrice: Money,
  version: Type.Integer({ minimum: 1 }),
});
export type PriceChangedData = Static<typeof PriceChangedData>;
export const PriceChanged = eventSchema(CatalogEventTypes.priceChanged, PriceChangedData);
export const PriceChangedV1 = eventContract(CatalogEventTypes.priceChanged, 1, PriceChangedData);
export type PriceChanged = Static<typeof PriceChanged>;

export const ProductUpsertedData = Type.Object({
  sku: Sku,
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  price: Money,
  version: Type.Integer({ minimum: 1 }),
});
export type ProductUpsertedData = Static<typeof ProductUpsertedData>;
export const ProductUpserted = eventSchema(CatalogEventTypes.productUpserted, ProductUpsertedData);
export const ProductUpsertedV1 = eventContract(CatalogEventTypes.productUpserted, 1, ProductUpsertedData);
