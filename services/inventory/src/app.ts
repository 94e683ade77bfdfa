import { fileURLToPath } from 'node:url';
import { Topics } from '@shop/contracts/topics';
import { brokerList } from '@shop/platform/config';
import { databasePlugin } from '@shop/platform/database-plugin';
import { outboxRelayPlugin } from '@shop/platform/outbox-relay-plugin';
import { createServer } from '@shop/platform/server';
import { SERVICE_NAME, type Config } from './config.ts';
import stockRoutes from './routes/stock/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AppOptions {
  /** Tests that only exercise HTTP can leave the relay out. */
  relay?: boolean;
}

export async function buildApp(config: Config, { relay = true }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  await app.register(databasePlugin, { url: config.DATABASE_URL });
  if (relay) {
    await app.register(outboxRelayPlugin, {
      brokers: brokerList(config.KAFKA_BROKERS),
      relayId: config.OUTBOX_RELAY_ID,
      checkpointTopic: Topics.inventory,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
  }
  await app.register(stockRoutes);
  return app;
}
