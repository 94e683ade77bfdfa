import { Compile } from 'typebox/compile';
import { StockBatch, StockBatchQuery, StockLevel } from '@shop/contracts/api/inventory';
import { found, getJson, joinUrl, pingService, type Downstream } from './downstream.ts';

const SERVICE = 'inventory';
const BATCH_LIMIT = (StockBatchQuery.properties.sku as { maxItems?: number }).maxItems ?? 100;

/** The inventory service's API (port 7102) as the BFFs use it. Unknown skus resolve to null / are absent; failures throw. */
export interface InventoryClient {
  getStock(sku: string, signal?: AbortSignal): Promise<StockLevel | null>;
  /** Any number of skus: split into the service's batch size and asked in parallel. */
  getStockBatch(skus: readonly string[], signal?: AbortSignal): Promise<StockLevel[]>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isStockLevel = Compile(StockLevel);
const isStockBatch = Compile(StockBatch);

export function httpInventoryClient(baseUrl: string): InventoryClient {
  const url = (path: string) => joinUrl(baseUrl, path);
  return {
    getStock: (sku, signal) => getJson(SERVICE, url(`/stock/${encodeURIComponent(sku)}`), signal, isStockLevel),
    async getStockBatch(skus, signal) {
      const unique = [...new Set(skus)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += BATCH_LIMIT) batches.push(unique.slice(i, i + BATCH_LIMIT));
      const answers = await Promise.all(
        batches.map(async (batch) => {
          const u = url('/stock');
          for (const sku of batch) u.searchParams.append('sku', sku);
          return found(SERVICE, 'GET /stock', await getJson(SERVICE, u, signal, isStockBatch)).items;
        }),
      );
      return answers.flat();
    },
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/** The same client with every call within the downstream's budget and behind its circuit breaker. */
export const guardInventory = (client: InventoryClient, guard: Downstream): InventoryClient => ({
  getStock: (sku) => guard.call((signal) => client.getStock(sku, signal)),
  getStockBatch: (skus) => (skus.length === 0 ? Promise.resolve([]) : guard.call((signal) => client.getStockBatch(skus, signal))),
  ping: () => guard.call((signal) => client.ping(signal)),
});
