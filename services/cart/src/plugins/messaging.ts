import fp from 'fastify-plugin';
import { createOutboxSink } from '@shop/platform/kafka/outbox-sink';
import type { OutboxRelay } from '@shop/platform/outbox';
import { startRedisOutboxRelay } from '@shop/platform/redis-outbox-store';

export interface CartRelayPluginOptions {
  brokers: string[];
  /** Cart's own topic (behind the prefix): `cart.updated` goes there and the checkpoint beside it. */
  topic: string;
  relayId: string;
  pollIntervalMs: number;
}

/**
 * The outbox relay that publishes `cart.updated` from the Redis stream. Registered after the platform
 * messaging plugin, which creates the topic. Needs the carts plugin.
 */
export const cartRelayPlugin = fp<CartRelayPluginOptions>(
  async (app, { brokers, topic, relayId, pollIntervalMs }) => {
    // Cart scripts append `cart.updated` to the stream in the same step as the change; the relay publishes it.
    const { redis, keys } = app.cartStore;
    const relay = await startRedisOutboxRelay({
      redis,
      streamKey: keys.outbox,
      leaseKey: keys.relayLease,
      openSink: () => createOutboxSink({ brokers, clientId: relayId, logger: app.log }, { relayId, checkpointTopic: topic }),
      logger: app.log,
      pollIntervalMs,
    });
    app.decorate('cartOutboxRelay', relay);
    if (app.hasDecorator('health')) app.health.register('outbox-relay', () => relay.health());
    app.addHook('onClose', () => relay.stop());
  },
  { name: 'cart-outbox-relay', dependencies: ['carts', 'messaging'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    cartOutboxRelay: OutboxRelay;
  }
}
