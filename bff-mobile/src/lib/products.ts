import type { FastifyBaseLogger } from 'fastify';
import type { Product } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { LOW_STOCK_THRESHOLD, type StockStatus } from '@shop/contracts/api/stock';
import type { InventoryClient } from '@shop/platform/clients/inventory';
import type { MobileStock, ProductDetail, ProductSummary } from '../schemas/catalog.ts';
import { imagePath } from './images.ts';

export function stockStatus(available: number): StockStatus {
  if (available <= 0) return 'out';
  return available <= LOW_STOCK_THRESHOLD ? 'low' : 'in_stock';
}

export const mobileStock = (available: number): MobileStock => ({ status: stockStatus(available), available: Math.max(0, available) });

/**
 * Inventory is the authority on stock; when it could not be asked in time, the catalog's read model
 * (the last level it saw in inventory's events) stands in rather than leaving the tile without a label.
 * A sku inventory has no record of cannot be sold: out of stock.
 */
export function stockOf(product: Product, levels: ReadonlyMap<string, StockLevel> | null): MobileStock {
  if (levels === null) return mobileStock(product.available);
  return mobileStock(levels.get(product.sku)?.available ?? 0);
}

/** Live stock of the listed products, or null when inventory did not answer in time (the catalog's figure stands in). */
export async function stockLevelsOrNull(inventory: InventoryClient, log: FastifyBaseLogger, skus: string[]): Promise<Map<string, StockLevel> | null> {
  if (skus.length === 0) return new Map();
  try {
    return new Map((await inventory.getStockBatch(skus)).map((l) => [l.sku, l]));
  } catch (err) {
    log.warn({ err }, 'stock from inventory unavailable; using the catalog read model');
    return null;
  }
}

export const toSummary = (product: Product, stock: MobileStock): ProductSummary => ({
  sku: product.sku,
  name: product.name,
  price: { amount: product.price.amount, currency: product.price.currency },
  stock,
  image: imagePath(product.sku),
});

export const toDetail = (product: Product, stock: MobileStock, width?: number): ProductDetail => ({
  sku: product.sku,
  name: product.name,
  description: product.description,
  category: product.category,
  price: { amount: product.price.amount, currency: product.price.currency },
  stock,
  image: imagePath(product.sku, width),
});
