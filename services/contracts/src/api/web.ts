import { Type, type Static } from 'typebox';
import { Money, Sku } from '../money.ts';
import { Cart, CartLine } from './cart.ts';
import { SortOrder } from './catalog.ts';
import { StockStatus } from './stock.ts';

/**
 * Page-shaped JSON that bff-web (port 4000, `/api`) serves to the browser fragments. Its errors are in
 * `./errors.ts`, stock status in `./stock.ts`, the checkout body (`POST /api/checkout`) in `./checkout.ts`.
 */

export const WebStock = Type.Object({ available: Type.Integer(), status: StockStatus, version: Type.Integer() });
export type WebStock = Static<typeof WebStock>;

/** Money as a page shows it: the amount, and bff-web's display text in the shop's locale (see format-price). */
export const WebMoney = Type.Intersect([Money, Type.Object({
  formatted: Type.String({ description: "display text in the shop's locale (en-IE), e.g. €12.99: a page shows it as it is" }),
})]);
export type WebMoney = Static<typeof WebMoney>;

export const WebProduct = Type.Object({
  sku: Sku,
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  image: Type.String({ description: 'URL path under /api/images' }),
  price: Type.Intersect([WebMoney, Type.Object({ version: Type.Integer() })]),
  /** null when stock could not be read in time (see `degraded`). */
  stock: Type.Union([WebStock, Type.Null()]),
});
export type WebProduct = Static<typeof WebProduct>;

/** A part of the page that could not be filled, and what the page should tell the shopper. */
export const Degraded = Type.Object({ part: Type.String(), message: Type.String() });
export type Degraded = Static<typeof Degraded>;

/** The most products one catalog page holds. */
export const MAX_PAGE_SIZE = 48;

export const CatalogPageQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 100 })),
  category: Type.Optional(Type.String({ maxLength: 60 })),
  sort: Type.Optional(SortOrder),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 12 })),
});
export type CatalogPageQuery = Static<typeof CatalogPageQuery>;

export const CatalogPage = Type.Object({
  products: Type.Array(WebProduct, { maxItems: MAX_PAGE_SIZE }),
  categories: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() })),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  degraded: Type.Array(Degraded),
});
export type CatalogPage = Static<typeof CatalogPage>;

/** `GET /api/cart`, `PUT /api/cart/lines/:sku`: the cart service's cart, each amount with its display text. */
export const WebCartLine = Type.Object({ ...CartLine.properties, unitPrice: WebMoney, lineTotal: WebMoney });
export type WebCartLine = Static<typeof WebCartLine>;
export const WebCart = Type.Object({ ...Cart.properties, lines: Type.Array(WebCartLine), total: WebMoney });
export type WebCart = Static<typeof WebCart>;

export const ProductDetailPage = Type.Object({ product: WebProduct, degraded: Type.Array(Degraded) });
export type ProductDetailPage = Static<typeof ProductDetailPage>;

/** `GET /api/session`: who is shopping. State-changing routes need `x-csrf-token: <csrfToken>`. */
export const Session = Type.Object({
  user: Type.Union([Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }), Type.Null()]),
  cartId: Type.String(),
  csrfToken: Type.String(),
});
export type Session = Static<typeof Session>;
