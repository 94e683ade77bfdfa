import type { FastifyBaseLogger } from 'fastify';
import type { CatalogClient } from '@shop/platform/clients/catalog';
import type { InventoryClient } from '@shop/platform/clients/inventory';
import type { Degraded, ProductDetailPage, WebStock } from '@shop/contracts/api/web';
import { catalogUnavailable, DegradedMessages, productNotFound } from '../errors.ts';
import { toWebProduct, webStock } from '../lib/web-product.ts';

export interface ProductSources {
  catalog: CatalogClient;
  inventory: InventoryClient;
  log: FastifyBaseLogger;
}

/**
 * Product and stock in parallel. Without the product there is no page (404 or 503);
 * without stock the product is shown with `stock: null` and a degraded note.
 */
export async function composeProductPage({ catalog, inventory, log }: ProductSources, sku: string): Promise<ProductDetailPage> {
  const [product, level] = await Promise.allSettled([catalog.getProduct(sku), inventory.getStock(sku)]);
  if (product.status === 'rejected') {
    log.warn({ err: product.reason, sku }, 'product page unavailable: catalog failed');
    throw catalogUnavailable();
  }
  if (product.value === null) throw productNotFound(sku);

  const degraded: Degraded[] = [];
  let stock: WebStock | null = null;
  if (level.status === 'fulfilled') stock = webStock(level.value);
  else {
    log.warn({ err: level.reason, sku }, 'product page served without live stock');
    degraded.push({ part: 'stock', message: DegradedMessages.stock });
  }
  return { product: toWebProduct(product.value, stock), degraded };
}
