import type { FastifyBaseLogger } from 'fastify';
import type { CatalogPage, CatalogPageQuery, Degraded } from '@shop/contracts/api/web';
import { ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { CatalogClient } from '@shop/platform/clients/catalog';
import type { CategoryCache } from '@shop/platform/clients/category-cache';
import { DegradedMessages, pageOutOfRange } from '../errors.ts';
import { listedStock, toWebProduct } from '../lib/web-product.ts';

/** The catalog service pages no further than this; deeper pages must narrow the search. */
const MAX_OFFSET = (ProductSearchQuery.properties.offset as { maximum?: number }).maximum ?? 10_000;

export interface PageSources {
  /** Catalog's listing pages (`app.listings`: kept ones while live events keep them fresh, see createListingCache). */
  catalog: Pick<CatalogClient, 'searchProducts'>;
  /** The categories as this BFF keeps them (refreshed by catalog's events). */
  categories: CategoryCache;
  log: FastifyBaseLogger;
}

/**
 * One upstream call per page: catalog's listing already carries each product's stock (its read model
 * follows inventory's events, versioned), and the categories come from the BFF's cache. A part that
 * fails is left empty and named in `degraded`, so the shopper still gets whatever could be read in time.
 * Throws 400 WEB_PAGE_OUT_OF_RANGE past the deepest page catalog serves.
 */
export async function composeCatalogPage({ catalog, categories, log }: PageSources, query: CatalogPageQuery): Promise<CatalogPage> {
  const { page = 1, pageSize = 12, query: text, category, sort } = query;
  const offset = (page - 1) * pageSize;
  if (offset > MAX_OFFSET) throw pageOutOfRange(MAX_OFFSET);

  const [listing, categoryList] = await Promise.allSettled([
    catalog.searchProducts({ query: text || undefined, category: category || undefined, sort, offset, limit: pageSize }),
    categories.get(),
  ]);
  const degraded: Degraded[] = [];
  if (listing.status === 'rejected') {
    log.warn({ err: listing.reason }, 'catalog page served without products');
    degraded.push({ part: 'catalog', message: DegradedMessages.catalog });
  } else if (categoryList.status === 'rejected') {
    log.warn({ err: categoryList.reason }, 'catalog page served without categories');
    degraded.push({ part: 'categories', message: DegradedMessages.categories });
  }

  return {
    products: listing.status === 'fulfilled' ? listing.value.items.map((p) => toWebProduct(p, listedStock(p))) : [],
    categories: categoryList.status === 'fulfilled' ? categoryList.value : [],
    page,
    pageSize,
    total: listing.status === 'fulfilled' ? listing.value.total : 0,
    degraded,
  };
}
