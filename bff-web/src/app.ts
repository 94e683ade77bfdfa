import fastifyCookie from '@fastify/cookie';
import type { FastifyError } from 'fastify';
import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import { clientsPlugin } from '@shop/platform/clients/clients-plugin';
import { createListingCache } from '@shop/platform/clients/listing-cache';
import type { ServiceClients } from '@shop/platform/clients/service-clients';
import { brokerList } from '@shop/platform/config';
import { HttpError } from '@shop/platform/errors';
import { createServer, errorBody, type App } from '@shop/platform/server';
import { originList } from '@shop/platform/live-guards';
import { signInThrottleOptions } from '@shop/platform/sign-in-throttle';
import { topicNames } from '@shop/platform/topics';
import { SERVICE_NAME, type Config } from './config.ts';
import { FormHttpError, RetryLaterError } from './errors.ts';
import { authRateLimitPlugin } from './plugins/auth-rate-limit.ts';
import { categoriesPlugin, categoryEvents } from './plugins/categories.ts';
import { instanceId, kafkaEventSource, type LiveEventSource } from '@shop/platform/event-source';
import { liveHubPlugin, type SessionLookup } from './plugins/live-hub.ts';
import { redisPlugin } from './plugins/redis.ts';
import { SESSION_COOKIE, sessionsPlugin, socketSessionOf, useSessions } from './plugins/sessions.ts';
import cartRoutes from './routes/cart/index.ts';
import catalogRoutes from './routes/catalog/index.ts';
import checkoutRoutes from './routes/checkout/index.ts';
import fragmentReportRoutes from './routes/fragment-reports/index.ts';
import imageRoutes from './routes/images/index.ts';
import orderRoutes from './routes/orders/index.ts';
import productRoutes from './routes/products/index.ts';
import sessionRoutes from './routes/session/index.ts';
import statusRoutes from './routes/status/index.ts';

/** Replacements for the outside world, for tests. Budgets and circuit breakers still wrap the clients. */
export interface AppDeps {
  clients?: Partial<ServiceClients>;
  /** Checks access tokens; omitted: against identity's JWKS (IDENTITY_JWKS_URL). */
  tokens?: TokenVerifier;
  /** null: no live events at all; omitted: Kafka, unless LIVE_ENABLED is false. */
  liveEvents?: LiveEventSource | null;
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const app = createServer({ name: SERVICE_NAME, logLevel: config.LOG_LEVEL, trustProxy: config.TRUST_PROXY });
  // Registration and sign-in run a memory-hard password hash: identity has a budget of its own.
  await app.register(clientsPlugin, { config, timeoutsMs: { identity: config.IDENTITY_TIMEOUT_MS }, replace: deps.clients });
  await app.register(categoriesPlugin, { maxAgeMs: config.CATEGORIES_MAX_AGE_MS });
  const liveSource = liveEventSource(config, deps, app);
  // Listing pages are kept only while the events that change them arrive (they drop them before each push).
  const listings = liveSource && config.CATALOG_PAGE_CACHE_MAX_AGE_MS > 0
    ? createListingCache({ catalog: app.clients.catalog, maxAgeMs: config.CATALOG_PAGE_CACHE_MAX_AGE_MS, maxEntries: config.CATALOG_PAGE_CACHE_ENTRIES })
    : undefined;
  app.decorate('listings', { searchProducts: listings ? (query) => listings.search(query) : (query) => app.clients.catalog.searchProducts(query) });
  await app.register(redisPlugin, { url: config.REDIS_URL });
  await app.register(sessionsPlugin, {
    keyPrefix: config.SESSION_KEY_PREFIX,
    ttlSeconds: config.SESSION_TTL_S,
    emptyGuestTtlSeconds: config.GUEST_SESSION_TTL_S,
    createPerAddress: config.SESSION_CREATE_PER_ADDRESS,
    createWindowSeconds: config.SESSION_CREATE_WINDOW_S,
    verifier: deps.tokens ?? createTokenVerifier({ jwksUrl: config.IDENTITY_JWKS_URL || `${config.IDENTITY_URL.replace(/\/+$/, '')}/.well-known/jwks.json` }),
  });
  await app.register(authRateLimitPlugin, {
    perMinute: config.AUTH_RATE_LIMIT_PER_MIN,
    keyPrefix: config.AUTH_RATE_LIMIT_KEY_PREFIX,
    throttle: signInThrottleOptions(config, app.redis, config.AUTH_RATE_LIMIT_KEY_PREFIX),
  });
  await app.register(liveHubPlugin, {
    source: liveSource,
    recoveryMs: config.LIVE_RECOVERY_MS,
    sessions: socketSessions(app),
    allowedOrigins: originList(config.LIVE_ALLOWED_ORIGINS),
    maxConnectionsPerAddress: config.LIVE_MAX_CONNECTIONS_PER_ADDRESS,
    maxWatchedPerSocket: config.LIVE_MAX_WATCHED_PER_SOCKET,
    trustProxy: config.TRUST_PROXY,
    routes: categoryEvents(app.categories),
    ...(listings ? { observe: listings.observe } : {}),
    ...(config.LIVE_REDIS_ADAPTER ? { shared: { redis: app.redis, prefix: config.LIVE_REDIS_PREFIX } } : {}),
  });
  await app.register(statusRoutes);

  // Everything the browser calls lives under /api (the shell proxies it, same origin).
  await app.register(
    async (api: App) => {
      // A 5xx HttpError is a deliberate answer ("catalog unavailable"), safe to show; anything else
      // goes on to the platform's handler, which hides internals.
      api.setErrorHandler((err: FastifyError, req, reply) => {
        if (!(err instanceof HttpError)) {
          // A body refused before any validator ran (not JSON, too large): answer in the form error's
          // shape with no field to blame, so a route that declares FormError can send it (else a 500).
          const status = err.statusCode ?? 500;
          if (err.validation || status < 400 || status >= 500) throw err;
          return reply.code(status).send({ ...errorBody(status, err.code ?? 'BAD_REQUEST', err.message), fields: {} });
        }
        if (err.statusCode >= 500) req.log.warn({ code: err.code }, err.message);
        if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterS));
        const body = errorBody(err.statusCode, err.code, err.message);
        return reply.code(err.statusCode).send(err instanceof FormHttpError ? { ...body, fields: err.fields } : body);
      });
      await api.register(catalogRoutes);
      await api.register(productRoutes);
      await api.register(imageRoutes);
      // The shell's reports on its fragments: no shopper's state, so outside the session scope (see the plugin).
      await api.register(fragmentReportRoutes, {
        keyPrefix: config.FRAGMENT_REPORTS_KEY_PREFIX,
        ttlSeconds: config.FRAGMENT_REPORTS_TTL_S,
        perAddressPerMin: config.FRAGMENT_REPORTS_PER_ADDRESS_PER_MIN,
        perSessionPerMin: config.FRAGMENT_REPORTS_PER_SESSION_PER_MIN,
        maxVersionLabels: config.FRAGMENT_REPORTS_MAX_VERSION_LABELS,
        maxVersions: config.FRAGMENT_REPORTS_MAX_VERSIONS,
        allowedOrigins: originList(config.LIVE_ALLOWED_ORIGINS),
      });
      // The shopper's own things: a cookie session, CSRF-checked writes, tokens verified per request.
      await api.register(async (shopper: App) => {
        useSessions(shopper);
        await shopper.register(sessionRoutes);
        await shopper.register(cartRoutes);
        await shopper.register(checkoutRoutes);
        await shopper.register(orderRoutes);
      });
    },
    { prefix: '/api' },
  );
  return app;
}

/** A socket's session: the `sid` cookie of its handshake, checked like an HTTP request's. */
function socketSessions(app: App): SessionLookup {
  return async (cookieHeader) => {
    const sid = cookieHeader ? fastifyCookie.parse(cookieHeader)[SESSION_COOKIE] : undefined;
    const session = await socketSessionOf(app.sessions, sid);
    if (!session) return null;
    // A guest not stored yet gets its (derived) cart's rooms, so the page hears its cart once it writes.
    if (!session.stored) return { sid: session.sid, data: session.data };
    return { sid: session.sid, data: await app.sessionAuth.authenticate(session.sid, session.data) };
  };
}

function liveEventSource(config: Config, deps: AppDeps, app: App): LiveEventSource | null {
  if (deps.liveEvents !== undefined) return deps.liveEvents;
  if (!config.LIVE_ENABLED) return null;
  const instance = instanceId(config.INSTANCE_ID, config.PORT);
  const topics = topicNames(config.TOPIC_PREFIX);
  return kafkaEventSource({
    brokers: brokerList(config.KAFKA_BROKERS),
    clientId: `${SERVICE_NAME}-${instance}`,
    // One group per instance, so each instance gets every event for the sockets it holds; named by the
    // stable instance id, so a restarted instance resumes its own group rather than leaving one behind.
    groupId: `${config.LIVE_GROUP_ID}-${instance}`,
    topics: [topics.inventory, topics.catalog, topics.cart, topics.orders],
    logger: app.log,
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Catalog's listing pages: kept between requests while the live hub hears what changes them, else asked each time. */
    listings: Pick<import('@shop/platform/clients/catalog').CatalogClient, 'searchProducts'>;
  }
}
