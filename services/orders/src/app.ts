import { fileURLToPath } from 'node:url';
import { brokerList } from '@shop/platform/config';
import { consumerPlugin } from '@shop/platform/consumer-plugin';
import { databasePlugin } from '@shop/platform/database-plugin';
import { outboxRelayPlugin } from '@shop/platform/outbox-relay-plugin';
import { createServer } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { handleSagaEvent } from './events/consumers/saga.ts';
import { sweeperPlugin } from './plugins/sweeper.ts';
import orderRoutes from './routes/orders/index.ts';
import type { SagaContext } from './saga.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AppOptions {
  /** Tests that only exercise HTTP can leave out Kafka (the outbox relay and the saga consumer) and the sweeper. */
  messaging?: boolean;
}

export async function buildApp(config: Config, { messaging = true }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  const saga: SagaContext = { topic: topics.orders, stepTimeoutMs: config.STEP_TIMEOUT_MS, log: app.log };
  await app.register(databasePlugin, { url: config.DATABASE_URL });
  if (messaging) {
    const brokers = brokerList(config.KAFKA_BROKERS);
    await app.register(outboxRelayPlugin, {
      brokers,
      relayId: config.OUTBOX_RELAY_ID,
      checkpointTopic: topics.orders,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
    // The saga's answers come from inventory and payments.
    await app.register(consumerPlugin, {
      brokers,
      groupId: config.SAGA_GROUP_ID,
      topics: [topics.inventory, topics.payments],
      handle: ({ event }) => handleSagaEvent(app.db, saga, event),
    });
    await app.register(sweeperPlugin, { saga, intervalMs: config.SWEEP_INTERVAL_MS });
  }
  await app.register(orderRoutes, { saga });
  return app;
}
