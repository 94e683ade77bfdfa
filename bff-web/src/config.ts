import { Type } from 'typebox';
import { Topics } from '@shop/contracts/topics';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'bff-web';

const HttpUrl = (fallback: string) => Type.String({ default: fallback, pattern: '^https?://[^\\s]+$' });

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 4000 }),
      CATALOG_URL: HttpUrl('http://127.0.0.1:7101'),
      INVENTORY_URL: HttpUrl('http://127.0.0.1:7102'),
      /** Time budget of one downstream call; a page never waits longer than this for a part. */
      DOWNSTREAM_TIMEOUT_MS: Type.Integer({ default: 800, minimum: 10, maximum: 30_000 }),
      /** Consecutive failures (errors, 5xx, timeouts) that open a downstream's circuit. */
      BREAKER_THRESHOLD: Type.Integer({ default: 5, minimum: 1 }),
      /** How long an open circuit fails fast before it lets one trial call through. */
      BREAKER_HALF_OPEN_MS: Type.Integer({ default: 5_000, minimum: 100 }),
      /** `false` runs the HTTP API without the Kafka consumer (the socket hub still accepts clients). */
      LIVE_ENABLED: Type.Boolean({ default: true }),
      /**
       * Base of the live hub's consumer group. Every bff-web instance must see every event, so the
       * group actually used is `<LIVE_GROUP_ID>-<INSTANCE_ID>` (one group per instance) unless the
       * Redis adapter fans events out between instances instead.
       */
      LIVE_GROUP_ID: Type.String({ default: 'bff-web-live', minLength: 1 }),
      /** Defaults to `<hostname>-<pid>`. */
      INSTANCE_ID: Type.String({ default: '' }),
      LIVE_INVENTORY_TOPIC: Type.String({ default: Topics.inventory, minLength: 1 }),
      LIVE_CATALOG_TOPIC: Type.String({ default: Topics.catalog, minLength: 1 }),
      /** How long a disconnected page may be gone and still get the events it missed replayed. */
      LIVE_RECOVERY_MS: Type.Integer({ default: 120_000, minimum: 0 }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
