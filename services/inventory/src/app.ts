import { fileURLToPath } from 'node:url';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import type { EventHandlers, HandlerContext } from '@shop/platform/event-handlers';
import { operatorAuthPlugin } from '@shop/platform/operator-auth';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
// Types only: `app.db`, declared by the database plugin that createService registers.
import type {} from '@shop/platform/database-plugin';
import { SERVICE_NAME, type Config } from './config.ts';
import { orderCancelled } from './events/consumers/order-cancelled.ts';
import { orderConfirmed } from './events/consumers/order-confirmed.ts';
import { orderPlaced } from './events/consumers/order-placed.ts';
import stockRoutes from './routes/stock/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Names the reservations consumer's processed-event records. */
export const RESERVATIONS = 'inventory-reservations';

/** The checkout saga: orders asks, inventory reserves, releases or commits, and answers on its own topic. */
export const reservationHandlers = (ctx: HandlerContext): EventHandlers<DbClient> => ({
  [OrderEventTypes.placed]: orderPlaced(ctx),
  [OrderEventTypes.cancelled]: orderCancelled(ctx),
  [OrderEventTypes.confirmed]: orderConfirmed(ctx),
});

export async function buildApp(config: Config, options: ServiceAppOptions = {}) {
  const { app, topics } = await createService(config, options, {
    name: SERVICE_NAME,
    topic: 'inventory',
    database: config.DATABASE_URL,
    consumers: (t, { log }) => [{
      groupId: config.RESERVATIONS_GROUP_ID,
      topics: [t.orders],
      once: RESERVATIONS,
      handlers: reservationHandlers({ topic: t.inventory, log }),
    }],
  });
  await app.register(operatorAuthPlugin, { jwksUrl: `${config.IDENTITY_URL}/.well-known/jwks.json`, keys: options.operatorKeys });
  await app.register(stockRoutes, { topic: topics.inventory });
  return app;
}
