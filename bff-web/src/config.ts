import { Type } from 'typebox';
import { downstreamConfig } from '@shop/platform/clients/service-clients';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';
import { LiveGuardConfig } from '@shop/platform/live-guards';
import { SignInThrottleConfig } from '@shop/platform/sign-in-throttle';
import { FragmentReportsConfig } from './routes/fragment-reports/index.ts';

export const SERVICE_NAME = 'bff-web';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 4000 }),
      // The shell's server proxies browsers to us from this machine; its x-forwarded-for names the shopper.
      TRUST_PROXY: Type.String({ default: 'loopback', description: 'proxy-addr list of trusted proxies' }),
      // A page never waits longer than DOWNSTREAM_TIMEOUT_MS for a part.
      ...downstreamConfig({ timeoutMs: 800 }),
      /** Where access tokens' public keys are; defaults to `<IDENTITY_URL>/.well-known/jwks.json`. */
      IDENTITY_JWKS_URL: Type.String({ default: '', pattern: '^(https?://[^\\s]+)?$' }),
      /** Sessions live in Redis. */
      REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://[^\\s]+$' }),
      /** Prefix of every session key; tests use their own so runs never collide. */
      SESSION_KEY_PREFIX: Type.String({ default: 'bff-web:session:', minLength: 1 }),
      /** A signed-in session, or a guest's whose cart holds something, lives this long after its last use: 30 days, like a guest cart. */
      SESSION_TTL_S: Type.Integer({ default: 30 * 86_400, minimum: 60 }),
      /**
       * A guest session whose cart is empty lives this long after its last use: 4 hours. A guest session is
       * stored at its first state-changing request only; reads store nothing.
       */
      GUEST_SESSION_TTL_S: Type.Integer({ default: 4 * 3_600, minimum: 60 }),
      /** New guest sessions one client address may store per SESSION_CREATE_WINDOW_S (beyond: 429 WEB_TOO_MANY_SESSIONS). */
      SESSION_CREATE_PER_ADDRESS: Type.Integer({ default: 30, minimum: 1 }),
      SESSION_CREATE_WINDOW_S: Type.Integer({ default: 600, minimum: 1 }),
      /** Sign-in and registration attempts per client address and minute (each route counts its own). */
      AUTH_RATE_LIMIT_PER_MIN: Type.Integer({ default: 10, minimum: 1 }),
      /** Failed sign-ins per account+address and per address, with backoff; counters under AUTH_RATE_LIMIT_KEY_PREFIX. */
      ...SignInThrottleConfig,
      /** Prefix of the attempt counters in Redis, shared by every instance; tests use their own. */
      AUTH_RATE_LIMIT_KEY_PREFIX: Type.String({ default: 'bff-web:auth-attempts:', minLength: 1 }),
      /**
       * Identity's budget: registration and sign-in run a memory-hard password hash (scrypt), which
       * takes far longer than a page's reads, more so when several run at once.
       */
      IDENTITY_TIMEOUT_MS: Type.Integer({ default: 3_000, minimum: 10, maximum: 30_000 }),
      /** `false` runs the HTTP API without the Kafka consumer (the socket hub still accepts clients). */
      LIVE_ENABLED: Type.Boolean({ default: true }),
      /**
       * Base of the live hub's consumer group. Every bff-web instance must see every event, so the
       * group actually used is `<LIVE_GROUP_ID>-<INSTANCE_ID>` (one group per instance) unless the
       * Redis adapter fans events out between instances instead.
       */
      LIVE_GROUP_ID: Type.String({ default: 'bff-web-live', minLength: 1 }),
      /** This instance's stable name (its live consumer group's suffix); defaults to `<hostname>-<PORT>`. Unique per instance. */
      INSTANCE_ID: Type.String({ default: '' }),
      /**
       * The catalog page's categories are kept between pages and refreshed when catalog's events say a
       * product changed; past this age (ms) they are refreshed anyway (events missed while Kafka was away).
       */
      CATEGORIES_MAX_AGE_MS: Type.Integer({ default: 60_000, minimum: 0 }),
      /**
       * Catalog's listing pages are kept between shoppers' requests while the live hub hears catalog's and
       * inventory's events (which drop them before each push, see `createListingCache`); past this age (ms)
       * a kept page is asked again anyway. 0: not kept (each catalog page asks catalog).
       */
      CATALOG_PAGE_CACHE_MAX_AGE_MS: Type.Integer({ default: 2_000, minimum: 0, maximum: 60_000 }),
      /** Listing pages (distinct searches) kept at most, least recently used first out. */
      CATALOG_PAGE_CACHE_ENTRIES: Type.Integer({ default: 500, minimum: 1, maximum: 100_000 }),
      /**
       * `true` when several instances run (the launcher sets it with BFF_WEB_INSTANCES > 1): the live hub
       * shares rooms, recovery sessions and missed events over REDIS_URL (socket.io's Redis streams adapter)
       * and each event is pushed by one instance. `false`: one instance, all in memory.
       */
      LIVE_REDIS_ADAPTER: Type.Boolean({ default: false }),
      /** Prefix of the adapter's stream, channels and keys in Redis; tests use their own. */
      LIVE_REDIS_PREFIX: Type.String({ default: 'bff-web:live:', minLength: 1 }),
      /** How long a disconnected page may be gone and still get the events it missed replayed. */
      LIVE_RECOVERY_MS: Type.Integer({ default: 120_000, minimum: 0 }),
      /** The live hub's limits: LIVE_ALLOWED_ORIGINS, LIVE_MAX_CONNECTIONS_PER_ADDRESS (20), LIVE_MAX_WATCHED_PER_SOCKET (100). */
      ...LiveGuardConfig,
      /** The shell's fragment reports: FRAGMENT_REPORTS_KEY_PREFIX, _TTL_S, _PER_ADDRESS_PER_MIN, _PER_SESSION_PER_MIN, _MAX_VERSION_LABELS, _MAX_VERSIONS. */
      ...FragmentReportsConfig,
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
