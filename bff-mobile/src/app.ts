import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import { createCategoryCache, type CategoryCache } from '@shop/platform/clients/category-cache';
import { clientsPlugin } from '@shop/platform/clients/clients-plugin';
import { joinUrl } from '@shop/platform/clients/downstream';
import { brokerList } from '@shop/platform/config';
import { createServer, type App } from '@shop/platform/server';
import { originList } from '@shop/platform/live-guards';
import { signInThrottle, signInThrottleOptions } from '@shop/platform/sign-in-throttle';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { memoryIdempotencyStore, redisIdempotencyStore, type IdempotencyStore } from './lib/idempotency-store.ts';
import type { ChangeLog } from './live/change-log.ts';
import { memoryChangeLog } from './live/memory-change-log.ts';
import { redisChangeLog } from './live/redis-change-log.ts';
import { authPlugin } from './plugins/auth.ts';
import type { ServiceClients } from '@shop/platform/clients/service-clients';
import { httpCachingPlugin } from './plugins/http-caching.ts';
import { instanceId, kafkaEventSource, type LiveEventSource } from '@shop/platform/event-source';
import { livePlugin } from './plugins/live.ts';
import { pageEventsPlugin } from './plugins/page-events.ts';
import { API_PREFIX, openapiPlugin } from './plugins/openapi.ts';
import { problemsPlugin, sendProblem, toMobileError } from './plugins/problems.ts';
import { rateLimitPlugin } from './plugins/rate-limits.ts';
import { redisPlugin } from './plugins/redis.ts';
import { validationPlugin } from './plugins/validation.ts';
import { Tokens } from './schemas/auth.ts';
import { cartSchemas } from './schemas/cart.ts';
import { catalogSchemas } from './schemas/catalog.ts';
import { orderSchemas } from './schemas/orders.ts';
import { FieldProblem, Problem } from './schemas/problem.ts';
import authRoutes from './routes/auth/index.ts';
import cartRoutes from './routes/cart/index.ts';
import checkoutRoutes from './routes/checkout/index.ts';
import homeRoutes from './routes/home/index.ts';
import imageRoutes from './routes/images/index.ts';
import orderRoutes from './routes/orders/index.ts';
import productRoutes from './routes/products/index.ts';
import statusRoutes from './routes/status/index.ts';

/** Replacements for the outside world, for tests. Budgets and circuit breakers still wrap the clients. */
export interface AppDeps {
  clients?: Partial<ServiceClients>;
  /** Checks access tokens; the identity service's JWKS by default. */
  verifier?: TokenVerifier;
  /** null: no live events at all; omitted: Kafka, unless LIVE_ENABLED is false. */
  liveEvents?: LiveEventSource | null;
  /** Defaults to Redis when REDIS_URL is set, else in process. */
  changeLog?: ChangeLog;
  /** What tells this instance its kept pages changed; null: nothing (pages are not kept); omitted: Kafka, unless LIVE_ENABLED is false. */
  pageEvents?: LiveEventSource | null;
  idempotency?: IdempotencyStore;
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const app = createServer({
    name: SERVICE_NAME, logLevel: config.LOG_LEVEL, bodyLimit: config.BODY_LIMIT_BYTES,
    // The router's refusals (a broken %-escape, an over-long path parameter) are problems like any other.
    frameworkErrors: (err, req, reply) => sendProblem(reply, config.PROBLEM_TYPE_BASE, toMobileError(err, req)),
  });
  await app.register(redisPlugin, { url: config.REDIS_URL });
  await app.register(clientsPlugin, { config, replace: deps.clients });
  // Categories change with products only: kept for CATEGORIES_MAX_AGE_MS or until a product event, so home
  // costs one upstream call, or none while its listing page is kept too.
  const categories = createCategoryCache({
    catalog: app.clients.catalog,
    maxAgeMs: config.CATEGORIES_MAX_AGE_MS,
    onRefreshError: (err) => app.log.warn({ err }, 'refreshing the categories failed; the kept ones are served meanwhile'),
  });
  app.decorate('categories', categories);
  await app.register(pageEventsPlugin, { source: pageEventSource(config, deps, app), categories, maxAgeMs: config.CATALOG_PAGE_CACHE_MAX_AGE_MS, maxEntries: config.CATALOG_PAGE_CACHE_ENTRIES });
  const verifier = deps.verifier ?? createTokenVerifier({ jwksUrl: joinUrl(config.IDENTITY_URL, '/.well-known/jwks.json') });
  await app.register(authPlugin, { verifier });
  await app.register(openapiPlugin);
  // The named schemas answers refer to: once each, before the routes.
  for (const schema of [FieldProblem, Problem, Tokens, ...catalogSchemas, ...cartSchemas, ...orderSchemas]) app.addSchema(schema);

  const redis = app.redis;
  const changeLog =
    deps.changeLog ??
    (redis
      ? redisChangeLog({ redis, prefix: config.REDIS_KEY_PREFIX, maxEntries: config.LIVE_LOG_MAX_ENTRIES, ttlS: config.LIVE_LOG_TTL_S })
      : memoryChangeLog({ maxEntries: config.LIVE_LOG_MAX_ENTRIES, ttlMs: config.LIVE_LOG_TTL_S * 1000 }));
  await app.register(livePlugin, {
    log: changeLog,
    source: liveEventSource(config, deps, app, deps.changeLog === undefined && redis !== null),
    verifier,
    problemTypeBase: config.PROBLEM_TYPE_BASE,
    allowedOrigins: originList(config.LIVE_ALLOWED_ORIGINS),
    maxConnectionsPerAddress: config.LIVE_MAX_CONNECTIONS_PER_ADDRESS,
    maxWatchedPerSocket: config.LIVE_MAX_WATCHED_PER_SOCKET,
  });
  await app.register(statusRoutes);

  const idempotency = deps.idempotency ?? (redis ? redisIdempotencyStore(redis, config.REDIS_KEY_PREFIX) : memoryIdempotencyStore());

  // The app's versioned API: problem+json errors, every invalid field named, ETags, compression, rate limits.
  await app.register(
    async (api: App) => {
      await api.register(problemsPlugin, { typeBase: config.PROBLEM_TYPE_BASE });
      api.removeContentTypeParser('text/plain'); // bodies are JSON only: anything else is a 415
      await api.register(validationPlugin);
      await api.register(httpCachingPlugin);
      await api.register(rateLimitPlugin, {
        max: config.RATE_LIMIT,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
        redis,
        keyPrefix: config.REDIS_KEY_PREFIX,
      });
      api.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
      await api.register(authRoutes, {
        max: config.AUTH_RATE_LIMIT_PER_MIN,
        windowMs: 60_000,
        throttle: signInThrottle(signInThrottleOptions(config, redis, config.REDIS_KEY_PREFIX)),
      });
      await api.register(homeRoutes);
      await api.register(productRoutes);
      await api.register(imageRoutes, { rateLimit: { max: config.RATE_LIMIT * 4 } });
      // Everything below needs a signed-in user.
      await api.register(async (secured: App) => {
        secured.addHook('onRequest', secured.bearerAuth);
        await secured.register(cartRoutes);
        await secured.register(checkoutRoutes, { store: idempotency, ttlS: config.IDEMPOTENCY_TTL_S });
        await secured.register(orderRoutes);
      });
    },
    { prefix: API_PREFIX },
  );
  return app;
}

function liveEventSource(config: Config, deps: AppDeps, app: App, sharedLog: boolean): LiveEventSource | null {
  if (deps.liveEvents !== undefined) return deps.liveEvents;
  if (!config.LIVE_ENABLED) return null;
  const topics = topicNames(config.TOPIC_PREFIX);
  const instance = instanceId(config.INSTANCE_ID, config.PORT);
  return kafkaEventSource({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${SERVICE_NAME}-${instance}`,
    // A shared log is written once per event by one group; an in-process log needs every event in every instance.
    groupId: sharedLog ? config.LIVE_GROUP_ID : `${config.LIVE_GROUP_ID}-${instance}`,
    topics: [topics.inventory, topics.cart, topics.orders],
    logger: app.log,
  });
}

/** This instance's own group on inventory's and catalog's topics, for its kept pages (see PAGE_EVENTS_GROUP_ID). */
function pageEventSource(config: Config, deps: AppDeps, app: App): LiveEventSource | null {
  if (deps.pageEvents !== undefined) return deps.pageEvents;
  if (!config.LIVE_ENABLED) return null;
  const topics = topicNames(config.TOPIC_PREFIX);
  const instance = instanceId(config.INSTANCE_ID, config.PORT);
  return kafkaEventSource({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${SERVICE_NAME}-pages-${instance}`,
    groupId: `${config.PAGE_EVENTS_GROUP_ID}-${instance}`,
    topics: [topics.inventory, topics.catalog],
    logger: app.log,
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Catalog's categories as this BFF keeps them (home). */
    categories: CategoryCache;
  }
}
