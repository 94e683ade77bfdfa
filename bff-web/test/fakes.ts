import type { Category, Product, ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { readConfig } from '../src/config.ts';
import type { CatalogClient, ProductImage } from '../src/plugins/catalog-client.ts';
import type { InventoryClient } from '../src/plugins/inventory-client.ts';

/** How a fake downstream answers: normally, with an error (service down), or never (hung service). */
export type Behaviour = 'ok' | 'down' | 'hang';

export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({ LOG_LEVEL: 'silent', LIVE_ENABLED: 'false', DOWNSTREAM_TIMEOUT_MS: '150', ...env });

export const product = (sku: string, overrides: Partial<Product> = {}): Product => ({
  sku,
  name: `Product ${sku}`,
  description: `About ${sku}`,
  category: 'kitchen',
  price: { amount: 1999, currency: 'EUR' },
  available: 7,
  image: `/images/${sku}.svg`,
  priceVersion: 3,
  stockVersion: 2,
  ...overrides,
});

export const stock = (sku: string, available: number, version = 5): StockLevel => ({ sku, available, reserved: 0, version });

function misbehave(behaviour: Behaviour, signal?: AbortSignal): Promise<never> | undefined {
  if (behaviour === 'down') return Promise.reject(new Error('connect ECONNREFUSED'));
  if (behaviour === 'hang')
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  return undefined;
}

export class FakeCatalog implements CatalogClient {
  behaviour: Behaviour = 'ok';
  categoriesBehaviour: Behaviour = 'ok';
  calls = 0;
  lastQuery: ProductSearchQuery | undefined;
  categories: Category[] = [{ slug: 'kitchen', name: 'Kitchen', count: 3 }];
  images = new Map<string, ProductImage>();

  constructor(public products: Product[] = []) {}

  async searchProducts(query: ProductSearchQuery, signal?: AbortSignal) {
    this.calls++;
    this.lastQuery = query;
    await misbehave(this.behaviour, signal);
    const { offset = 0, limit = 12 } = query;
    return { items: this.products.slice(offset, offset + limit), total: this.products.length };
  }

  async getProduct(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.products.find((p) => p.sku === sku) ?? null;
  }

  async listCategories(signal?: AbortSignal) {
    await misbehave(this.categoriesBehaviour, signal);
    return this.categories;
  }

  async getImage(file: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.images.get(file) ?? null;
  }

  async ping(signal?: AbortSignal) {
    await misbehave(this.behaviour, signal);
  }
}

export class FakeInventory implements InventoryClient {
  behaviour: Behaviour = 'ok';
  calls = 0;
  readonly levels: Map<string, StockLevel>;

  constructor(levels: StockLevel[] = []) {
    this.levels = new Map(levels.map((l) => [l.sku, l]));
  }

  async getStock(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.levels.get(sku) ?? null;
  }

  async getStockBatch(skus: readonly string[], signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return skus.flatMap((sku) => this.levels.get(sku) ?? []);
  }

  async ping(signal?: AbortSignal) {
    await misbehave(this.behaviour, signal);
  }
}
