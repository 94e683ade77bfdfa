import { fileURLToPath } from 'node:url';
import { CatalogEventTypes } from '@shop/contracts/events/catalog';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import type { DbClient } from '@shop/platform/db';
import type { EventHandlers } from '@shop/platform/event-handlers';
import { operatorAuthPlugin } from '@shop/platform/operator-auth';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
// Types only: `app.db`, declared by the database plugin that createService registers.
import type {} from '@shop/platform/database-plugin';
import { SERVICE_NAME, type Config } from './config.ts';
import { priceChanged } from './events/consumers/price-changed.ts';
import { productUpserted } from './events/consumers/product-upserted.ts';
import { stockChanged } from './events/consumers/stock-changed.ts';
import categoryRoutes from './routes/categories/index.ts';
import imageRoutes from './routes/images/index.ts';
import productRoutes from './routes/products/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Names the read-model consumer's processed-event records. */
export const READ_MODEL = 'catalog-read-model';

/** The listing follows the catalog's own events and inventory's stock events. */
export const readModelHandlers: EventHandlers<DbClient> = {
  [CatalogEventTypes.productUpserted]: productUpserted,
  [CatalogEventTypes.priceChanged]: priceChanged,
  [InventoryEventTypes.stockChanged]: stockChanged,
};

export async function buildApp(config: Config, options: ServiceAppOptions = {}) {
  const { app, topics } = await createService(config, options, {
    name: SERVICE_NAME,
    topic: 'catalog',
    database: config.DATABASE_URL,
    consumers: (t) => [{ groupId: config.READ_MODEL_GROUP_ID, topics: [t.catalog, t.inventory], once: READ_MODEL, handlers: readModelHandlers }],
  });
  await app.register(operatorAuthPlugin, { jwksUrl: `${config.IDENTITY_URL}/.well-known/jwks.json`, keys: options.operatorKeys });
  await app.register(productRoutes, { topic: topics.catalog });
  await app.register(categoryRoutes);
  await app.register(imageRoutes);
  return app;
}
