import fp from 'fastify-plugin';
import type { CloudEvent } from '@shop/contracts/envelope';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import { consumerPlugin } from '@shop/platform/consumer-plugin';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createOutboxSink } from '@shop/platform/kafka/outbox-sink';
import type { OutboxRelay } from '@shop/platform/outbox';
import { startRedisOutboxRelay } from '@shop/platform/redis-outbox-store';
import type { TopicNames } from '@shop/platform/topics';
import { emptyCartOnOrderConfirmed } from '../events/consumers/order-confirmed.ts';
import { productProjectionHandlers } from '../events/consumers/product-projection.ts';

export interface MessagingPluginOptions {
  brokers: string[];
  topics: TopicNames;
  groupId: string;
  relayId: string;
  pollIntervalMs: number;
}

/**
 * Kafka in and out: the outbox relay that publishes `cart.updated`, and one consumer group for what
 * the cart follows (catalog and inventory for the projection, orders for confirmed orders). A new
 * group reads from the start of each topic so the projection is complete. Needs the carts plugin.
 */
export const messagingPlugin = fp<MessagingPluginOptions>(
  async (app, { brokers, topics, groupId, relayId, pollIntervalMs }) => {
    const consumed = [topics.catalog, topics.inventory, topics.orders];
    // The cart may come up before the services that produce to these topics.
    await ensureTopics({ brokers, clientId: groupId, logger: app.log }, [...consumed, topics.cart]);

    // Cart scripts append `cart.updated` to the stream in the same step as the change; the relay publishes it.
    const { redis, keys } = app.cartStore;
    const relay = await startRedisOutboxRelay({
      redis,
      streamKey: keys.outbox,
      leaseKey: keys.relayLease,
      openSink: () => createOutboxSink({ brokers, clientId: relayId, logger: app.log }, { relayId, checkpointTopic: topics.cart }),
      logger: app.log,
      pollIntervalMs,
    });
    app.decorate('cartOutboxRelay', relay);
    if (app.hasDecorator('health')) app.health.register('outbox-relay', () => relay.health());
    app.addHook('onClose', () => relay.stop());

    const handlers: Record<string, (event: CloudEvent) => Promise<unknown>> = {
      ...Object.fromEntries(
        Object.entries(productProjectionHandlers(app.productProjection)).map(([type, handle]) => [type, (event: CloudEvent) => handle(event.data)]),
      ),
      [OrderEventTypes.confirmed]: emptyCartOnOrderConfirmed(app.carts, app.log),
    };
    await app.register(consumerPlugin, {
      brokers,
      groupId,
      topics: consumed,
      // Event types the cart does not follow are skipped.
      handle: async ({ event }) => {
        await handlers[event.type]?.(event);
      },
    });
  },
  { name: 'messaging', dependencies: ['carts'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    cartOutboxRelay: OutboxRelay;
  }
}
