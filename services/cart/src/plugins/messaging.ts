import fp from 'fastify-plugin';
import { createOutboxSink } from '@shop/platform/kafka';
import { startRedisOutboxRelay, type RedisOutboxRelay } from '../outbox-relay.ts';

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
    const relay = await startRedisOutboxRelay({
      ...app.cartStore,
      openSink: () => createOutboxSink({ brokers, clientId: relayId, logger: app.log }, { relayId, checkpointTopic: topic }),
      logger: app.log,
      pollIntervalMs,
    });
    app.decorate('cartOutboxRelay', relay);
    app.addHook('onClose', () => relay.stop());
  },
  { name: 'cart-outbox-relay', dependencies: ['carts', 'messaging'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    cartOutboxRelay: RedisOutboxRelay;
  }
}
