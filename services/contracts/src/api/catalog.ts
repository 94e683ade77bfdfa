import { Type, type Static } from 'typebox';
import { Money, Sku } from '../money.ts';

/** DTOs of the catalog service's HTTP API (port 7101). */

export const SortOrder = Type.Union(
  [Type.Literal('relevance'), Type.Literal('price-asc'), Type.Literal('price-desc'), Type.Literal('name')],
  { default: 'relevance' },
);
export type SortOrder = Static<typeof SortOrder>;

export const Category = Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() });
export type Category = Static<typeof Category>;

export const Product = Type.Object({
  sku: Sku,
  name: Type.String(),
  description: Type.String(),
  category: Type.String({ description: 'category slug' }),
  price: Money,
  /** Last stock level the read model saw from inventory events; inventory stays the authority. */
  available: Type.Integer({ minimum: 0 }),
  image: Type.String({ description: 'path of the product image on the catalog service' }),
  priceVersion: Type.Integer(),
  stockVersion: Type.Integer(),
});
export type Product = Static<typeof Product>;

export const ProductSearchQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 100 })),
  category: Type.Optional(Type.String({ maxLength: 60 })),
  sort: Type.Optional(SortOrder),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 12 })),
});
export type ProductSearchQuery = Static<typeof ProductSearchQuery>;

export const ProductPage = Type.Object({ items: Type.Array(Product), total: Type.Integer() });
export type ProductPage = Static<typeof ProductPage>;

// Closed: the body becomes the price event's data, so an unknown field is refused rather than published.
export const SetPriceBody = Type.Object(Money.properties, { additionalProperties: false });
export type SetPriceBody = Static<typeof SetPriceBody>;

/** `GET /prices?sku=A&sku=B`: the catalog's current price of each SKU it sells (its write model); unknown SKUs are left out. */
export const PriceQuery = Type.Object({ sku: Type.Array(Sku, { minItems: 1, maxItems: 100 }) });
export type PriceQuery = Static<typeof PriceQuery>;
export const CurrentPrice = Type.Object({ sku: Sku, name: Type.String(), price: Money, version: Type.Integer() });
export type CurrentPrice = Static<typeof CurrentPrice>;
export const PriceList = Type.Object({ items: Type.Array(CurrentPrice) });
export type PriceList = Static<typeof PriceList>;
