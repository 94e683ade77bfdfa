import { Type } from 'typebox';
import { downstreamConfig } from '@shop/platform/clients/service-clients';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';
import { LiveGuardConfig } from '@shop/platform/live-guards';
import { SignInThrottleConfig } from '@shop/platform/sign-in-throttle';

export const SERVICE_NAME = 'bff-mobile';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 4100 }),
      // The call budget is generous enough for a checkout's card tokenisation on a slow day.
      ...downstreamConfig({ timeoutMs: 2_000 }),
      /** Largest request body; a checkout is well under 1 KB. Beyond it: 413. */
      BODY_LIMIT_BYTES: Type.Integer({ default: 16 * 1024, minimum: 256, maximum: 1024 * 1024 }),
      /**
       * Redis for what several instances must agree on: the live change log, checkout idempotency records
       * and rate-limit counters. Empty: in-process stores, right for a single instance and for tests.
       */
      REDIS_URL: Type.String({ default: '', pattern: '^(rediss?://.+)?$' }),
      /** Every Redis key bff-mobile writes starts with it, so a test run can have a keyspace of its own. */
      REDIS_KEY_PREFIX: Type.String({ default: 'bff-mobile:', pattern: '^[A-Za-z0-9:._-]+$' }),
      /** Auth routes (register, token, refresh): attempts per client address and minute (the name bff-web uses too). */
      AUTH_RATE_LIMIT_PER_MIN: Type.Integer({ default: 10, minimum: 1 }),
      /** Failed sign-ins per account+address and per address, with backoff (the names bff-web uses too). */
      ...SignInThrottleConfig,
      /** Every other route: requests per access token (signed-in) or per client address per window. */
      RATE_LIMIT: Type.Integer({ default: 300, minimum: 1 }),
      RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1_000 }),
      /** How long a checkout's Idempotency-Key is remembered: a retry within it returns the same order. */
      IDEMPOTENCY_TTL_S: Type.Integer({ default: 86_400, minimum: 60 }),
      /** `false` runs without the Kafka consumer (the `/m` namespace still accepts apps, but nothing new is pushed). */
      LIVE_ENABLED: Type.Boolean({ default: true }),
      /**
       * Consumer group that writes the live change log. Shared by every instance: each event is logged once,
       * and Redis tells every instance about it (in-process store: use one instance only).
       */
      LIVE_GROUP_ID: Type.String({ default: 'bff-mobile-live', minLength: 1 }),
      /**
       * This instance's stable name; defaults to `<hostname>-<PORT>`. Unique per instance. Names the live
       * consumer group when the change log is in process (then every instance needs every event).
       */
      INSTANCE_ID: Type.String({ default: '' }),
      /** Changes kept per stream (one per product, one per user) for apps that come back from sleep. */
      LIVE_LOG_MAX_ENTRIES: Type.Integer({ default: 100, minimum: 1, maximum: 10_000 }),
      /** How long a stream without changes is kept; an app gone longer than that gets a fresh snapshot. */
      LIVE_LOG_TTL_S: Type.Integer({ default: 86_400, minimum: 1 }),
      /**
       * The live hub's limits (LIVE_MAX_CONNECTIONS_PER_ADDRESS 20, LIVE_MAX_WATCHED_PER_SOCKET 100). Apps send no
       * Origin; a browser page must come from LIVE_ALLOWED_ORIGINS (default: the shell's, as bff-web).
       */
      ...LiveGuardConfig,
      /** How long (ms) the home screen's categories are kept before catalog is asked again (catalog's events refresh them sooner). */
      CATEGORIES_MAX_AGE_MS: Type.Integer({ default: 30_000, minimum: 0 }),
      /**
       * Catalog's listing pages (home, product lists) kept between requests, as bff-web keeps its own: only
       * while this instance hears the events that change them (dropped at each), and never longer than this
       * (ms). 0 asks catalog every time. CATALOG_PAGE_CACHE_ENTRIES pages at most (least recently used out).
       */
      CATALOG_PAGE_CACHE_MAX_AGE_MS: Type.Integer({ default: 2_000, minimum: 0, maximum: 60_000 }),
      CATALOG_PAGE_CACHE_ENTRIES: Type.Integer({ default: 500, minimum: 1, maximum: 100_000 }),
      /**
       * The consumer group that tells this instance about stock, price and product changes, for its kept
       * pages: `<PAGE_EVENTS_GROUP_ID>-<INSTANCE_ID>`, one per instance (each keeps its own pages).
       */
      PAGE_EVENTS_GROUP_ID: Type.String({ default: 'bff-mobile-pages', minLength: 1 }),
      /** Base of the `type` URI of every problem+json answer (RFC 9457); the problem's slug is appended. */
      PROBLEM_TYPE_BASE: Type.String({ default: 'https://storefront.example/problems/', pattern: '^[a-z][a-z0-9+.-]*:.*$' }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
