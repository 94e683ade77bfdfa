import type { FastifyBaseLogger } from 'fastify';
import type { CatalogPage, CatalogPageQuery, Degraded, WebStock } from '@shop/contracts/api/web';
import { ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { CatalogClient } from '@shop/platform/clients/catalog';
import type { InventoryClient } from '@shop/platform/clients/inventory';
import { DegradedMessages, pageOutOfRange } from '../errors.ts';
import { toWebProduct, webStock } from '../lib/web-product.ts';

/** The catalog service pages no further than this; deeper pages must narrow the search. */
const MAX_OFFSET = (ProductSearchQuery.properties.offset as { maximum?: number }).maximum ?? 10_000;

export interface PageSources {
  catalog: CatalogClient;
  inventory: InventoryClient;
  log: FastifyBaseLogger;
}

/**
 * Products and categories in parallel, then live stock for the listed skus. A part that fails is
 * left empty and named in `degraded`, so the shopper still gets whatever could be read in time.
 */
export async function composeCatalogPage({ catalog, inventory, log }: PageSources, query: CatalogPageQuery): Promise<CatalogPage> {
  const { page = 1, pageSize = 12, query: text, category, sort } = query;
  const offset = (page - 1) * pageSize;
  if (offset > MAX_OFFSET) throw pageOutOfRange(MAX_OFFSET);

  const [listing, categories] = await Promise.allSettled([
    catalog.searchProducts({ query: text || undefined, category: category || undefined, sort, offset, limit: pageSize }),
    catalog.listCategories(),
  ]);
  const degraded: Degraded[] = [];
  if (listing.status === 'rejected') {
    log.warn({ err: listing.reason }, 'catalog page served without products');
    degraded.push({ part: 'catalog', message: DegradedMessages.catalog });
  } else if (categories.status === 'rejected') {
    log.warn({ err: categories.reason }, 'catalog page served without categories');
    degraded.push({ part: 'categories', message: DegradedMessages.categories });
  }

  const products = listing.status === 'fulfilled' ? listing.value.items : [];
  let stock: Map<string, WebStock> | null = new Map();
  if (products.length > 0) {
    try {
      const levels = await inventory.getStockBatch(products.map((p) => p.sku));
      stock = new Map(levels.map((level) => [level.sku, webStock(level)]));
    } catch (err) {
      log.warn({ err }, 'catalog page served without live stock');
      stock = null;
      degraded.push({ part: 'stock', message: DegradedMessages.stock });
    }
  }

  return {
    products: products.map((p) => toWebProduct(p, stock && (stock.get(p.sku) ?? webStock(null)))),
    categories: categories.status === 'fulfilled' ? categories.value : [],
    page,
    pageSize,
    total: listing.status === 'fulfilled' ? listing.value.total : 0,
    degraded,
  };
}
