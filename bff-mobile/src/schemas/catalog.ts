import { Type, type Static } from 'typebox';
import { Money as MoneyContract, Sku } from '@shop/contracts/money';
import { StockStatus } from '@shop/contracts/api/stock';
import { ref } from './shared.ts';

export const Money = Type.Object(MoneyContract.properties, { $id: 'Money', description: 'integer minor units (cents) and currency' });

/** `low` at or below 5 units: the app shows "Only N left". */
export const Stock = Type.Object({ status: StockStatus, available: Type.Integer({ minimum: 0 }) }, { $id: 'Stock' });
export type MobileStock = Static<typeof Stock>;

const ImageUrl = Type.String({
  description: 'path of the product picture on this API (`/m/v1/images/{sku}`), with `?w=` pixels when the device told its size',
});

/** What a product tile shows: nothing more, every byte counts on a phone. */
export const ProductSummary = Type.Object(
  { sku: Sku, name: Type.String(), price: ref(Money), stock: ref(Stock), image: ImageUrl },
  { $id: 'ProductSummary' },
);
export type ProductSummary = Static<typeof ProductSummary>;

export const ProductDetail = Type.Object(
  {
    sku: Sku,
    name: Type.String(),
    description: Type.String(),
    category: Type.String({ description: 'category slug' }),
    price: ref(Money),
    stock: ref(Stock),
    image: ImageUrl,
  },
  { $id: 'ProductDetail' },
);
export type ProductDetail = Static<typeof ProductDetail>;

export const MAX_PAGE_SIZE = 50;

export const ProductsQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 100, description: 'words to search for' })),
  category: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z0-9-]+$', description: 'category slug' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
});
export type ProductsQuery = Static<typeof ProductsQuery>;

export const ProductsPage = Type.Object(
  {
    items: Type.Array(ref(ProductSummary)),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last' }),
  },
  { $id: 'ProductsPage' },
);

export const SkuParams = Type.Object({ sku: Sku });

/** How the device will show the picture: CSS pixels and pixel ratio. `DPR`/`Sec-CH-DPR` and `Viewport-Width` headers work too. */
export const ImageSizeQuery = Type.Object({
  width: Type.Optional(Type.Integer({ minimum: 16, maximum: 4096, description: 'width of the picture on screen, in CSS pixels' })),
  dpr: Type.Optional(Type.Number({ minimum: 1, maximum: 4, description: 'device pixel ratio' })),
});

export const ImageQuery = Type.Object({
  w: Type.Optional(Type.Integer({ minimum: 16, maximum: 4096, description: 'width in device pixels; rounded up to a size the server keeps' })),
});

export const Category = Type.Object({ slug: Type.String(), name: Type.String() }, { $id: 'Category' });

export const Home = Type.Object(
  { categories: Type.Array(ref(Category)), featured: Type.Array(ref(ProductSummary)) },
  { $id: 'Home', description: 'the start screen' },
);

/** Every named schema answers refer to, for `app.addSchema` (each once, before the routes). */
export const catalogSchemas = [Money, Stock, ProductSummary, ProductDetail, ProductsPage, Category, Home];
