import { parseCatalogParams, type CatalogParams } from '../features/catalog/utils/catalog-params.ts';

/**
 * The requests this fragment makes to bff-web for a page, as path and query under the API base
 * (`/catalog?…`, `/products/…`). Pure and free of browser or Vite globals: the shell's server imports
 * it to fetch a page's first data ahead of the browser under the very URL the fragment will ask for.
 */

/** Products per catalog page (the BFF's `pageSize`). */
export const CATALOG_PAGE_SIZE = 12;

type QueryValue = string | number | undefined;

/** `?a=1&b=x` of the given values in their order, leaving out empty and undefined ones; `''` when none is left. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `GET /catalog?…` for the catalog page showing `params`. */
export function catalogPageRequest(params: CatalogParams): string {
  return `/catalog${toQueryString({ ...params, pageSize: CATALOG_PAGE_SIZE })}`;
}

/** `GET /products/{sku}` for a product page. */
export function productRequest(sku: string): string {
  return `/products/${encodeURIComponent(sku)}`;
}

/**
 * The request (under the API base) the fragment makes first on the page at `pathname` + `search`
 * (the shell's routes: `/` is the catalog, `/products/{sku}` a product), or undefined for a page
 * this fragment does not fill.
 */
export function firstRequestFor(pathname: string, search: URLSearchParams): string | undefined {
  if (pathname === '/') return catalogPageRequest(parseCatalogParams(search));
  const product = /^\/products\/([^/]+)$/.exec(pathname);
  if (!product?.[1]) return undefined;
  let sku: string;
  try {
    sku = decodeURIComponent(product[1]);
  } catch {
    return undefined; // a malformed address: the page says "not found" itself
  }
  return productRequest(sku);
}
