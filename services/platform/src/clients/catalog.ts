import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { Category, PriceList, Product, ProductPage, type CurrentPrice, type ProductSearchQuery } from '@shop/contracts/api/catalog';
import { DownstreamError, found, getJson, joinUrl, pingService, type Downstream } from './downstream.ts';

const SERVICE = 'catalog';
/** Product pictures are small SVGs; anything much bigger is not one of ours. */
const MAX_IMAGE_BYTES = 512 * 1024;

export interface ProductImage {
  contentType: string;
  body: Buffer;
  cacheControl?: string;
  etag?: string;
}

/** The catalog service's API (port 7101) as the BFFs use it. Absent things resolve to null; failures throw. */
export interface CatalogClient {
  searchProducts(query: ProductSearchQuery, signal?: AbortSignal): Promise<ProductPage>;
  getProduct(sku: string, signal?: AbortSignal): Promise<Product | null>;
  listCategories(signal?: AbortSignal): Promise<Category[]>;
  /** `file` is `<SKU>.svg`. */
  getImage(file: string, signal?: AbortSignal): Promise<ProductImage | null>;
  /** The current price of each SKU the catalog sells (`GET /prices`, at most 100); unknown SKUs are left out. */
  getPrices(skus: readonly string[], signal?: AbortSignal): Promise<CurrentPrice[]>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isProductPage = Compile(ProductPage);
const isProduct = Compile(Product);
const isPriceList = Compile(PriceList);
const isCategoryList = Compile(Type.Array(Category));

export function httpCatalogClient(baseUrl: string): CatalogClient {
  const url = (path: string) => joinUrl(baseUrl, path);
  return {
    async searchProducts(query, signal) {
      const u = url('/products');
      for (const [key, value] of Object.entries(query)) if (value !== undefined) u.searchParams.set(key, String(value));
      return found(SERVICE, 'GET /products', await getJson(SERVICE, u, signal, isProductPage));
    },
    getProduct: (sku, signal) => getJson(SERVICE, url(`/products/${encodeURIComponent(sku)}`), signal, isProduct),
    async listCategories(signal) {
      return found(SERVICE, 'GET /categories', await getJson(SERVICE, url('/categories'), signal, isCategoryList));
    },
    // Buffered rather than streamed: the budget then covers the whole transfer, and SVGs are a few KB.
    async getImage(file, signal) {
      const res = await fetch(url(`/images/${encodeURIComponent(file)}`), { signal, headers: { accept: 'image/*' } });
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      const contentType = res.headers.get('content-type') ?? '';
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (!res.ok || !contentType.startsWith('image/') || declared > MAX_IMAGE_BYTES) {
        await res.body?.cancel();
        throw new DownstreamError(SERVICE, res.ok ? 502 : res.status, `${SERVICE} answered ${res.status} ${contentType} to GET /images/${file}`);
      }
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length > MAX_IMAGE_BYTES) throw new DownstreamError(SERVICE, 502, `${SERVICE} sent an image of ${body.length} bytes`);
      return {
        contentType,
        body,
        cacheControl: res.headers.get('cache-control') ?? undefined,
        etag: res.headers.get('etag') ?? undefined,
      };
    },
    async getPrices(skus, signal) {
      const u = url('/prices');
      for (const sku of skus) u.searchParams.append('sku', sku);
      return found(SERVICE, 'GET /prices', await getJson(SERVICE, u, signal, isPriceList)).items;
    },
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/**
 * The same client with every call within the downstream's budget and behind its circuit breaker; pictures
 * behind `images` (default: the same), so that slow pictures cannot open the circuit of the products.
 */
export const guardCatalog = (client: CatalogClient, guard: Downstream, images: Downstream = guard): CatalogClient => ({
  searchProducts: (query) => guard.call((signal) => client.searchProducts(query, signal)),
  getProduct: (sku) => guard.call((signal) => client.getProduct(sku, signal)),
  listCategories: () => guard.call((signal) => client.listCategories(signal)),
  getImage: (file) => images.call((signal) => client.getImage(file, signal)),
  getPrices: (skus) => guard.call((signal) => client.getPrices(skus, signal)),
  ping: () => guard.call((signal) => client.ping(signal)),
});
