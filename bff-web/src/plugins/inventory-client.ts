import { guardInventory, httpInventoryClient, type InventoryClient } from '@shop/platform/clients/inventory';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.inventory`: the inventory service's client, every call within the budget and behind the service's circuit breaker. */
export const inventoryClientPlugin = clientPlugin('inventory', httpInventoryClient, guardInventory);

declare module 'fastify' {
  interface FastifyInstance {
    inventory: InventoryClient;
  }
}
