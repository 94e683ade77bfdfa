import { Type, type Static } from 'typebox';
import { Money, Sku } from '../money.ts';
import { SortOrder } from './catalog.ts';

/** Page-shaped JSON that bff-web (port 4000, `/api`) serves to the browser fragments. */

export const StockStatus = Type.Union([Type.Literal('in_stock'), Type.Literal('low'), Type.Literal('out')]);
export type StockStatus = Static<typeof StockStatus>;

/** At or below this many units a tile says `Only N left`. */
export const LOW_STOCK_THRESHOLD = 5;

export const WebStock = Type.Object({ available: Type.Integer(), status: StockStatus, version: Type.Integer() });
export type WebStock = Static<typeof WebStock>;

export const WebProduct = Type.Object({
  sku: Sku,
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  image: Type.String({ description: 'URL path under /api/images' }),
  price: Type.Intersect([Money, Type.Object({ version: Type.Integer() })]),
  /** null when stock could not be read in time (see `degraded`). */
  stock: Type.Union([WebStock, Type.Null()]),
});
export type WebProduct = Static<typeof WebProduct>;

/** A part of the page that could not be filled, and what the page should tell the shopper. */
export const Degraded = Type.Object({ part: Type.String(), message: Type.String() });
export type Degraded = Static<typeof Degraded>;

export const CatalogPageQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 100 })),
  category: Type.Optional(Type.String({ maxLength: 60 })),
  sort: Type.Optional(SortOrder),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 48, default: 12 })),
});
export type CatalogPageQuery = Static<typeof CatalogPageQuery>;

export const CatalogPage = Type.Object({
  products: Type.Array(WebProduct),
  categories: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() })),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  degraded: Type.Array(Degraded),
});
export type CatalogPage = Static<typeof CatalogPage>;

export const ProductDetailPage = Type.Object({ product: WebProduct, degraded: Type.Array(Degraded) });
export type ProductDetailPage = Static<typeof ProductDetailPage>;

export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;
