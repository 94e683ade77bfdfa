import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Compile } from 'typebox/compile';
import { CatalogPage as CatalogPageSchema, ProductDetailPage as ProductDetailPageSchema } from '@shop/contracts/api/web';
import { CatalogPage } from '../features/catalog/components/catalog-page.tsx';
import { catalogPageQueryOptions } from '../features/catalog/api/get-catalog-page.ts';
import { parseCatalogParams } from '../features/catalog/utils/catalog-params.ts';
import { ProductPage } from '../features/product/components/product-page.tsx';
import { productQueryOptions } from '../features/product/api/get-product.ts';
import { apiUrl } from '../lib/api-client.ts';
import { catalogPageRequest, productRequest } from '../lib/first-request.ts';
import { CatalogProviders, createCatalogQueryClient } from './providers.tsx';

/**
 * The fragment's first screen rendered on its server (the SSR build's entry, `dist-ssr/server-render.js`):
 * the same components and providers the exposed modules render in the browser, given the data the shell's
 * server inlines into the page, so the browser's first render of that data produces this very markup.
 * Nothing here reaches the network, a socket or the DOM: effects do not run in a server render, and the
 * cart's button (another fragment) is left as its empty slot.
 */

/** The exposed modules this renders, as the shell names them (`module-federation.config.ts`'s exposes). */
export const CATALOG_PAGE_MODULE = 'mfe_catalog/CatalogPage';
export const PRODUCT_PAGE_MODULE = 'mfe_catalog/ProductPage';

/** The data given cannot render the page: no answer for the page's first request, or not its shape. */
export class RenderDataError extends Error {
  constructor(
    /** The data's key the page needed (`/api/catalog?pageSize=12`). */
    readonly request: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderDataError';
  }
}

export interface FirstScreen {
  /** The exposed module whose first render this is: `mfe_catalog/CatalogPage` or `mfe_catalog/ProductPage`. */
  module: string;
  /** Its HTML (react-dom/server `renderToString`), for the fragment's slot in the shell's page. */
  html: string;
}

// Checked against bff-web's own schemas, so that no junk reaches a component (and fails there).
const isCatalogPage = Compile(CatalogPageSchema);
const isProductDetailPage = Compile(ProductDetailPageSchema);

/** A page this fragment fills: the module, its first request and how to seed and render it. */
interface Page {
  module: string;
  request: string;
  check: typeof isCatalogPage | typeof isProductDetailPage;
  queryKey: readonly unknown[];
  element: (client: QueryClient) => ReactElement;
}

// The shell's routes for this fragment (as `firstRequestFor` knows them): `/` and `/products/{sku}`.
function pageAt(url: URL): Page | undefined {
  if (url.pathname === '/') {
    const params = parseCatalogParams(url.searchParams);
    return {
      module: CATALOG_PAGE_MODULE,
      request: catalogPageRequest(params),
      check: isCatalogPage,
      queryKey: catalogPageQueryOptions(params).queryKey,
      // As the exposed CatalogPage entry renders it, with this render's own client.
      element: (client) => (
        <CatalogProviders client={client}>
          <CatalogPage />
        </CatalogProviders>
      ),
    };
  }
  const match = /^\/products\/([^/]+)$/.exec(url.pathname);
  if (!match?.[1]) return undefined;
  let sku: string;
  try {
    sku = decodeURIComponent(match[1]);
  } catch {
    return undefined; // a malformed address: the shell's page says "not found"
  }
  return {
    module: PRODUCT_PAGE_MODULE,
    request: productRequest(sku),
    check: isProductDetailPage,
    queryKey: productQueryOptions(sku).queryKey,
    // As the exposed ProductPage entry renders it (the shell passes the sku from its route).
    element: (client) => (
      <CatalogProviders client={client}>
        <ProductPage sku={sku} />
      </CatalogProviders>
    ),
  };
}

// React puts a `<link rel="preload">` for the first eager image before the markup, for a document's head;
// in a slot it would be markup the browser's render of the fragment does not have (and the shell's
// server preloads the page's largest image in the head itself).
const HOISTED_PRELOADS = /^(?:<link rel="preload"[^>]*\/>)+/;
const withoutHoistedPreloads = (html: string) => html.replace(HOISTED_PRELOADS, '');

/**
 * Renders the fragment's first screen for the page at `url` (path and query, starting with `/`, as the
 * browser asked the shell for it) from `data`: API URL (`/api/catalog?pageSize=12`) → bff-web's answer,
 * as the shell inlines it in `#page-data`. Returns undefined when this fragment fills no page at `url`;
 * throws RenderDataError when `data` has no answer for the page's first request or it is not the page's shape.
 * Synchronous and self-contained: a fresh query client per call, nothing shared between calls.
 */
export function renderFirstScreen(url: string, data: Record<string, unknown>): FirstScreen | undefined {
  const base = 'http://page.invalid';
  const parsed = new URL(url, base);
  // `//host/…` is another origin's address, not a path of this page.
  if (parsed.origin !== base) return undefined;
  const page = pageAt(parsed);
  if (!page) return undefined;
  const key = apiUrl(page.request);
  if (!Object.hasOwn(data, key)) throw new RenderDataError(key, `data has no answer for ${key}, the page's first request`);
  const answer = data[key];
  if (!page.check.Check(answer)) {
    const first = page.check.Errors(answer)[0];
    throw new RenderDataError(key, `the answer for ${key} is not what the page needs: ${first ? `${first.instancePath || '(root)'} ${first.message}` : 'wrong shape'}`);
  }
  const client = createCatalogQueryClient();
  try {
    // Under the key the browser's query uses: the components read it as they do there, fresh (no fetch).
    client.setQueryData(page.queryKey, answer);
    const html = renderToString(<StaticRouter location={url}>{page.element(client)}</StaticRouter>);
    return { module: page.module, html: withoutHoistedPreloads(html) };
  } finally {
    client.clear();
  }
}
