import type { Product } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import type { WebProduct, WebStock } from '@shop/contracts/api/web';
import { withDisplayText } from '@shop/contracts/format-price';
import { stockStatus } from '@shop/platform/stock-status';

/** Where the browser fetches product pictures: bff-web's image pass-through. */
export const IMAGE_PATH_PREFIX = '/api/images/';

/**
 * Inventory answered but holds no record of the sku: nothing can be reserved, so the page says
 * `Out of stock`. Version 0 lets the first real stock event supersede it.
 */
const NO_STOCK_RECORD: WebStock = { available: 0, status: 'out', version: 0 };

export const webStock = (level: Pick<StockLevel, 'available' | 'version'> | null | undefined): WebStock =>
  level ? { available: level.available, status: stockStatus(level.available), version: level.version } : NO_STOCK_RECORD;

/**
 * A listed product's stock as catalog's read model last saw it in inventory's events, with inventory's
 * version (so a live update orders against it). Version 0: no stock event seen yet, so nothing can be
 * reserved either: `Out of stock` until the first one arrives.
 */
export const listedStock = (product: Pick<Product, 'available' | 'stockVersion'>): WebStock =>
  product.stockVersion > 0 ? webStock({ available: product.available, version: product.stockVersion }) : NO_STOCK_RECORD;

/** The catalog names an image by its own path (`/images/KIT-0001.svg`); the browser gets it through bff-web. */
export function imageUrl(catalogImage: string): string {
  const path = new URL(catalogImage, 'http://catalog.invalid').pathname;
  return IMAGE_PATH_PREFIX + path.slice(path.lastIndexOf('/') + 1);
}

/** A catalog product as the page shows it; `stock` null means stock could not be read in time. */
export const toWebProduct = (product: Product, stock: WebStock | null): WebProduct => ({
  sku: product.sku,
  name: product.name,
  description: product.description,
  category: product.category,
  image: imageUrl(product.image),
  price: { ...withDisplayText(product.price), version: product.priceVersion },
  stock,
});
