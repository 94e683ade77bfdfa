import { fileURLToPath } from 'node:url';
import { brokerList } from '@shop/platform/config';
import { consumerPlugin } from '@shop/platform/consumer-plugin';
import { databasePlugin } from '@shop/platform/database-plugin';
import { outboxRelayPlugin } from '@shop/platform/outbox-relay-plugin';
import { createServer } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { handleOrderEvent } from './events/consumers/orders.ts';
import { simulatedProvider, type CardProvider } from './provider.ts';
import paymentMethodRoutes from './routes/payment-methods/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AppOptions {
  /** Tests that only exercise HTTP can leave out Kafka: the outbox relay and the charges consumer. */
  messaging?: boolean;
  provider?: CardProvider;
}

export async function buildApp(config: Config, { messaging = true, provider = simulatedProvider }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  await app.register(databasePlugin, { url: config.DATABASE_URL });
  if (messaging) {
    const brokers = brokerList(config.KAFKA_BROKERS);
    await app.register(outboxRelayPlugin, {
      brokers,
      relayId: config.OUTBOX_RELAY_ID,
      checkpointTopic: topics.payments,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
    await app.register(consumerPlugin, {
      brokers,
      groupId: config.CHARGES_GROUP_ID,
      topics: [topics.orders],
      handle: ({ event }) =>
        handleOrderEvent({ pool: app.db, topic: topics.payments, provider, providerTimeoutMs: config.PROVIDER_TIMEOUT_MS, log: app.log }, event),
    });
  }
  await app.register(paymentMethodRoutes);
  return app;
}
