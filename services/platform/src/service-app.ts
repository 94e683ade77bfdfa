import type { JWTVerifyGetKey } from 'jose';
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { BaseConfig, loadConfig } from './config.ts';
import { databasePlugin } from './database-plugin.ts';
import { ensureDatabase, migrate } from './db.ts';
import { MessagingConfig, messagingPlugin, type ConsumerGroup } from './messaging-plugin.ts';
import { createServer, listen, type App } from './server.ts';
import { topicNames, type TopicNames } from './topics.ts';

/**
 * The settings every backend service reads: host, log level, brokers and topic prefix, its outbox
 * relay, and its port (default `port`). Spread into the service's `loadConfig` schema.
 */
export const ServiceConfig = (serviceName: string, port: number) => ({
  ...BaseConfig,
  ...MessagingConfig(serviceName),
  PORT: Type.Integer({ default: port }),
});

/**
 * A service's `readConfig(env?)`: `ServiceConfig(serviceName, port)` plus its own `properties`, read and
 * checked from `env` (default `process.env`) by `loadConfig`, which throws naming a missing or bad variable.
 */
export function serviceConfig<P extends TProperties>(serviceName: string, port: number, properties: P) {
  const schema = { ...ServiceConfig(serviceName, port), ...properties };
  return (env?: Record<string, string | undefined>): Static<TObject<typeof schema>> => loadConfig(schema, env);
}

/** A PostgreSQL service's own database, by default the local one named after the service. */
export const DatabaseConfig = (serviceName: string) => ({
  DATABASE_URL: Type.String({ default: `postgres://postgres@127.0.0.1:5432/${serviceName}` }),
});

/** What tests may leave out of a service's app. */
export interface ServiceAppOptions {
  /** Kafka: the outbox relay and the consumers (default true). HTTP-only tests need no broker. */
  messaging?: boolean;
  /** Keys that verify operator tokens on admin routes, instead of identity's JWKS (tests: `createTestOperator`). */
  operatorKeys?: JWTVerifyGetKey;
}

type ServiceAppConfig = { LOG_LEVEL: string; TOPIC_PREFIX: string; KAFKA_BROKERS: string; OUTBOX_RELAY_ID: string; OUTBOX_POLL_MS: number };

export interface ServiceSpec {
  name: string;
  /** Its own topic, by its key in the contract's `Topics`. */
  topic: keyof TopicNames;
  /** Its PostgreSQL database (the database plugin, the outbox relay over it); left out for a service with another store. */
  database?: string;
  /** Registers the service's own stores before messaging starts (a service without `database`). */
  stores?(app: App, topics: TopicNames): Promise<void>;
  /** Its consumer groups, with the handlers keyed by event type. */
  consumers?(topics: TopicNames, app: App): ConsumerGroup[];
}

/**
 * Builds the part every service's app shares: the Fastify server, its topic names behind the
 * configured prefix, its database, and (unless `options.messaging` is false) the messaging plugin.
 * Returns the app and the topic names; the caller adds its routes.
 */
export async function createService(
  config: ServiceAppConfig,
  { messaging = true }: ServiceAppOptions,
  { name, topic, database, stores, consumers }: ServiceSpec,
): Promise<{ app: App; topics: TopicNames }> {
  const app = createServer({ name, logLevel: config.LOG_LEVEL });
  const topics = topicNames(config.TOPIC_PREFIX);
  if (database !== undefined) await app.register(databasePlugin, { url: database });
  await stores?.(app, topics);
  if (messaging) {
    await app.register(messagingPlugin, {
      service: name,
      config,
      topic: topics[topic],
      relay: database !== undefined,
      consumers: consumers?.(topics, app) ?? [],
    });
  }
  return { app, topics };
}

/**
 * A service's `server.ts`: creates and migrates its database (when it has one), builds the app and
 * listens on `PORT`/`HOST`. Throws (and so stops the process) when any step fails.
 */
export async function runService<C extends { PORT: number; HOST: string; DATABASE_URL?: string }>(
  config: C,
  buildApp: (config: C) => Promise<App>,
  migrationsDir?: string,
): Promise<void> {
  if (config.DATABASE_URL && migrationsDir) {
    await ensureDatabase(config.DATABASE_URL);
    await migrate(config.DATABASE_URL, migrationsDir);
  }
  await listen(await buildApp(config), config.PORT, config.HOST);
}
