import { brokerList } from '@shop/platform/config';
import { createServer } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { cartsPlugin } from './plugins/carts.ts';
import { messagingPlugin } from './plugins/messaging.ts';
import { redisPlugin } from './plugins/redis.ts';
import cartRoutes from './routes/carts/index.ts';

export interface AppOptions {
  /** Tests that only exercise HTTP can leave out the outbox relay and the consumer. */
  messaging?: boolean;
}

export async function buildApp(config: Config, { messaging = true }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  await app.register(redisPlugin, { url: config.REDIS_URL, keyPrefix: config.KEY_PREFIX });
  await app.register(cartsPlugin, { cartTopic: topics.cart });
  if (messaging) {
    await app.register(messagingPlugin, {
      brokers: brokerList(config.KAFKA_BROKERS),
      topics,
      groupId: config.CONSUMER_GROUP_ID,
      relayId: config.OUTBOX_RELAY_ID,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
  }
  await app.register(cartRoutes);
  return app;
}
