import { brokerList } from '@shop/platform/config';
import { ensureDatabase, migrate } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createLogger } from '@shop/platform/logger';
import { listen } from '@shop/platform/server';
import { topicNames } from '@shop/platform/topics';
import { buildApp, migrationsDir } from './app.ts';
import { readConfig, SERVICE_NAME } from './config.ts';

const config = readConfig();
await ensureDatabase(config.DATABASE_URL);
await migrate(config.DATABASE_URL, migrationsDir);
// The topics it writes and reads, so it also runs alone (or under a TOPIC_PREFIX) on a bare cluster.
const topics = topicNames(config.TOPIC_PREFIX);
await ensureTopics(
  { brokers: brokerList(config.KAFKA_BROKERS), clientId: SERVICE_NAME, logger: createLogger(SERVICE_NAME, config.LOG_LEVEL) },
  [topics.orders, topics.inventory, topics.payments],
);
const app = await buildApp(config);
await listen(app, config.PORT, config.HOST);
