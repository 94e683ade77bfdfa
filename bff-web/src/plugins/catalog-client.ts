import { guardCatalog, httpCatalogClient, type CatalogClient } from '@shop/platform/clients/catalog';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.catalog`: the catalog service's client, every call within the budget and behind the service's circuit breaker. */
export const catalogClientPlugin = clientPlugin('catalog', httpCatalogClient, guardCatalog);

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogClient;
  }
}
