import { CatalogEventTypes } from '@shop/contracts/events/catalog';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import { brokerList } from '@shop/platform/config';
import type { EventHandlers } from '@shop/platform/event-handlers';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
import type { FastifyInstance } from 'fastify';
import { cartLimits, SERVICE_NAME, type Config } from './config.ts';
import { orderConfirmed } from './events/consumers/order-confirmed.ts';
import { priceChanged } from './events/consumers/price-changed.ts';
import { productUpserted } from './events/consumers/product-upserted.ts';
import { stockChanged } from './events/consumers/stock-changed.ts';
import { cartsPlugin } from './plugins/carts.ts';
import { cartRelayPlugin } from './plugins/messaging.ts';
import { redisPlugin } from './plugins/redis.ts';
import cartRoutes from './routes/carts/index.ts';

/**
 * What the cart follows: catalog and inventory for its product projection, orders for confirmed
 * orders. Each handler is idempotent in Redis by itself (a version guard or a marker).
 */
export const cartHandlers = (app: FastifyInstance): EventHandlers => ({
  [CatalogEventTypes.productUpserted]: productUpserted(app.productProjection),
  [CatalogEventTypes.priceChanged]: priceChanged(app.productProjection),
  [InventoryEventTypes.stockChanged]: stockChanged(app.productProjection),
  [OrderEventTypes.confirmed]: orderConfirmed(app.carts, app.log),
});

export async function buildApp(config: Config, options: ServiceAppOptions = {}) {
  const { app, topics } = await createService(config, options, {
    name: SERVICE_NAME,
    topic: 'cart',
    stores: async (a, t) => {
      await a.register(redisPlugin, { url: config.REDIS_URL, keyPrefix: config.KEY_PREFIX });
      await a.register(cartsPlugin, {
        cartTopic: t.cart,
        limits: cartLimits(config),
      });
    },
    // A new group reads each topic from the start, so the projection is complete.
    consumers: (t, a) => [{ groupId: config.CONSUMER_GROUP_ID, topics: [t.catalog, t.inventory, t.orders], handlers: cartHandlers(a) }],
  });
  if (options.messaging !== false) {
    // The cart's outbox is a Redis stream, so it has a relay of its own.
    await app.register(cartRelayPlugin, {
      brokers: brokerList(config.KAFKA_BROKERS),
      topic: topics.cart,
      relayId: config.OUTBOX_RELAY_ID,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
  }
  await app.register(cartRoutes);
  return app;
}
