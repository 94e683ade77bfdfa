import type { Product } from '@shop/contracts/api/catalog';
import { stockStatus } from '@shop/platform/stock-status';
import type { MobileStock, ProductDetail, ProductSummary } from '../schemas/catalog.ts';
import { imagePath } from './images.ts';

export const mobileStock = (available: number): MobileStock => ({ status: stockStatus(available), available: Math.max(0, available) });

/**
 * A listed product's stock as catalog's read model last saw it in inventory's events (versioned there),
 * so a list costs one upstream call. A sku no stock event has reached yet reads 0: out of stock.
 * Live changes reach the app over `/m`; the product detail asks inventory itself.
 */
export const listedStock = (product: Pick<Product, 'available'>): MobileStock => mobileStock(product.available);

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
