import fp from 'fastify-plugin';
import { Compile } from 'typebox/compile';
import { StockBatch, StockBatchQuery, StockLevel } from '@shop/contracts/api/inventory';
import { DownstreamError, found, getJson } from '@shop/platform/clients/downstream';
import { joinUrl, registerDownstream, type DownstreamPolicy } from '../lib/downstream-plugin.ts';

const SERVICE = 'inventory';
const BATCH_LIMIT = (StockBatchQuery.properties.sku as { maxItems?: number }).maxItems ?? 100;

/** The inventory service's API as bff-web uses it. Unknown skus resolve to null / are absent; failures throw. */
export interface InventoryClient {
  getStock(sku: string, signal?: AbortSignal): Promise<StockLevel | null>;
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
    async ping(signal) {
      const res = await fetch(url('/health'), { signal });
      await res.body?.cancel();
      if (!res.ok) throw new DownstreamError(SERVICE, res.status, `${SERVICE} /health answered ${res.status}`);
    },
  };
}

export interface InventoryClientOptions extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: InventoryClient;
}

/** `app.inventory`: the inventory client, every call within the budget and behind the service's circuit breaker. */
export const inventoryClientPlugin = fp<InventoryClientOptions>(
  async (app, { baseUrl, client = httpInventoryClient(baseUrl), ...policy }) => {
    const guard = registerDownstream(app, SERVICE, policy);
    const guarded: InventoryClient = {
      getStock: (sku) => guard.call((signal) => client.getStock(sku, signal)),
      getStockBatch: (skus) => (skus.length === 0 ? Promise.resolve([]) : guard.call((signal) => client.getStockBatch(skus, signal))),
      ping: () => guard.call((signal) => client.ping(signal)),
    };
    app.decorate('inventory', guarded);
    app.downstreams.set(SERVICE, { circuit: guard.circuit, ping: guarded.ping });
  },
  { name: 'inventory-client' },
);

declare module 'fastify' {
  interface FastifyInstance {
    inventory: InventoryClient;
  }
}
