import { fileURLToPath } from 'node:url';
import { brokerList } from '@shop/platform/config';
import { databasePlugin } from '@shop/platform/database-plugin';
import { outboxRelayPlugin } from '@shop/platform/outbox-relay-plugin';
import { consumerPlugin } from '@shop/platform/consumer-plugin';
import { createServer } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { updateReadModel } from './events/consumers/read-model.ts';
import categoryRoutes from './routes/categories/index.ts';
import imageRoutes from './routes/images/index.ts';
import productRoutes from './routes/products/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AppOptions {
  /** Tests that only exercise HTTP can leave out the outbox relay and the read-model consumer. */
  messaging?: boolean;
}

export async function buildApp(config: Config, { messaging = true }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  await app.register(databasePlugin, { url: config.DATABASE_URL });
  if (messaging) {
    const brokers = brokerList(config.KAFKA_BROKERS);
    await app.register(outboxRelayPlugin, {
      brokers,
      relayId: config.OUTBOX_RELAY_ID,
      checkpointTopic: topics.catalog,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
    // The listing follows the catalog's own events and inventory's stock events.
    await app.register(consumerPlugin, {
      brokers,
      groupId: config.READ_MODEL_GROUP_ID,
      topics: [topics.catalog, topics.inventory],
      handle: ({ event }) => updateReadModel(app.db, event),
    });
  }
  await app.register(productRoutes, { topic: topics.catalog });
  await app.register(categoryRoutes);
  await app.register(imageRoutes);
  return app;
}
