import { fileURLToPath } from 'node:url';
import { brokerList } from '@shop/platform/config';
import { databasePlugin } from '@shop/platform/database-plugin';
import { outboxRelayPlugin } from '@shop/platform/outbox-relay-plugin';
import { createServer } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { tokensPlugin } from './plugins/tokens.ts';
import tokenRoutes from './routes/tokens/index.ts';
import userRoutes from './routes/users/index.ts';
import wellKnownRoutes from './routes/well-known/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AppOptions {
  /** Tests that only exercise HTTP can leave the relay out. */
  relay?: boolean;
}

export async function buildApp(config: Config, { relay = true }: AppOptions = {}) {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  await app.register(databasePlugin, { url: config.DATABASE_URL });
  if (relay) {
    await app.register(outboxRelayPlugin, {
      brokers: brokerList(config.KAFKA_BROKERS),
      relayId: config.OUTBOX_RELAY_ID,
      checkpointTopic: topics.identity,
      pollIntervalMs: config.OUTBOX_POLL_MS,
    });
  }
  await app.register(tokensPlugin, {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
  });
  await app.register(userRoutes, { topic: topics.identity });
  await app.register(tokenRoutes);
  await app.register(wellKnownRoutes);
  return app;
}
