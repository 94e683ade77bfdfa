import { hostname } from 'node:os';
import type { FastifyError } from 'fastify';
import { brokerList } from '@shop/platform/config';
import { HttpError } from '@shop/platform/errors';
import { createServer, errorBody, type App } from '@shop/platform/server';
import { SERVICE_NAME, type Config } from './config.ts';
import { catalogClientPlugin, type CatalogClient } from './plugins/catalog-client.ts';
import { inventoryClientPlugin, type InventoryClient } from './plugins/inventory-client.ts';
import { kafkaEventSource, liveHubPlugin, type LiveEventSource } from './plugins/live-hub.ts';
import catalogRoutes from './routes/catalog/index.ts';
import imageRoutes from './routes/images/index.ts';
import productRoutes from './routes/products/index.ts';
import statusRoutes from './routes/status/index.ts';

/** Replacements for the outside world, for tests. Budgets and circuit breakers still wrap the clients. */
export interface AppDeps {
  catalog?: CatalogClient;
  inventory?: InventoryClient;
  /** null: no live events at all; omitted: Kafka, unless LIVE_ENABLED is false. */
  liveEvents?: LiveEventSource | null;
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL });
  const policy = {
    timeoutMs: config.DOWNSTREAM_TIMEOUT_MS,
    breakerThreshold: config.BREAKER_THRESHOLD,
    halfOpenAfterMs: config.BREAKER_HALF_OPEN_MS,
  };
  await app.register(catalogClientPlugin, { baseUrl: config.CATALOG_URL, client: deps.catalog, ...policy });
  await app.register(inventoryClientPlugin, { baseUrl: config.INVENTORY_URL, client: deps.inventory, ...policy });
  await app.register(liveHubPlugin, { source: liveEventSource(config, deps, app), recoveryMs: config.LIVE_RECOVERY_MS });
  await app.register(statusRoutes);

  // Everything the browser calls lives under /api (the shell proxies it, same origin).
  await app.register(
    async (api: App) => {
      // A 5xx HttpError is a deliberate answer ("catalog unavailable"), safe to show; anything else
      // goes on to the platform's handler, which hides internals.
      api.setErrorHandler((err: FastifyError, req, reply) => {
        if (!(err instanceof HttpError)) throw err;
        if (err.statusCode >= 500) req.log.warn({ code: err.code }, err.message);
        return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message));
      });
      await api.register(catalogRoutes);
      await api.register(productRoutes);
      await api.register(imageRoutes);
    },
    { prefix: '/api' },
  );
  return app;
}

function liveEventSource(config: Config, deps: AppDeps, app: App): LiveEventSource | null {
  if (deps.liveEvents !== undefined) return deps.liveEvents;
  if (!config.LIVE_ENABLED) return null;
  const instance = config.INSTANCE_ID || `${hostname()}-${process.pid}`;
  return kafkaEventSource({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${SERVICE_NAME}-${instance}`,
    // One group per instance, so each instance gets every event for the sockets it holds.
    groupId: `${config.LIVE_GROUP_ID}-${instance}`,
    topics: [config.LIVE_INVENTORY_TOPIC, config.LIVE_CATALOG_TOPIC],
    logger: app.log,
  });
}
