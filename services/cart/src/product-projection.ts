import type { Money } from '@shop/contracts/money';
import type { ProductInfo } from './cart-view.ts';
import type { CartStore } from './store/cart-store.ts';

/**
 * The cart's own copy of what it needs from catalog and inventory, one Redis hash per SKU, fed by
 * their events. Catalog fields and stock fields carry separate versions (each is its producer's
 * aggregate version); an update is applied only if newer than what is held, so redelivered and
 * out-of-order events change nothing.
 */
export interface ProductProjection {
  /** `catalog.product.upserted` (with a name) or `catalog.price.changed` (without). */
  applyCatalog(sku: string, version: number, price: Money, name?: string): Promise<boolean>;
  applyStock(sku: string, version: number, available: number): Promise<boolean>;
  find(skus: string[]): Promise<Map<string, ProductInfo | undefined>>;
}

export function productProjection({ redis, keys, scripts }: CartStore): ProductProjection {
  const applied = (result: unknown) => result === 1;
  return {
    async applyCatalog(sku, version, price, name) {
      const fields = ['priceAmount', price.amount, 'priceCurrency', price.currency, ...(name === undefined ? [] : ['name', name])];
      return applied(await scripts.project([keys.product(sku)], ['catalogVersion', version, ...fields]));
    },
    async applyStock(sku, version, available) {
      return applied(await scripts.project([keys.product(sku)], ['stockVersion', version, 'available', available]));
    },
    async find(skus) {
      const found = new Map<string, ProductInfo | undefined>();
      if (skus.length === 0) return found;
      const pipeline = redis.pipeline();
      for (const sku of skus) pipeline.hmget(keys.product(sku), 'catalogVersion', 'name', 'priceAmount', 'available');
      const replies = (await pipeline.exec()) ?? [];
      skus.forEach((sku, i) => {
        const [err, reply] = replies[i] ?? [];
        if (err) throw err;
        const [catalogVersion, name, amount, available] = reply as (string | null)[];
        found.set(
          sku,
          catalogVersion === null
            ? undefined
            : { name: name ?? sku, price: { amount: Number(amount), currency: 'EUR' }, available: Number(available ?? 0) },
        );
      });
      return found;
    },
  };
}
