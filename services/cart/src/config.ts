import { Type } from 'typebox';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'cart';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 7103 }),
      REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
      /** Every key this service writes starts with it, so a test run can have a keyspace of its own. */
      KEY_PREFIX: Type.String({ default: 'cart:', pattern: '^[A-Za-z0-9:._-]+$' }),
      CONSUMER_GROUP_ID: Type.String({ default: 'cart', minLength: 1 }),
      // Names the relay's Kafka transactions and checkpoint: one per Redis keyspace.
      OUTBOX_RELAY_ID: Type.String({ default: `${SERVICE_NAME}-outbox`, minLength: 1 }),
      /** The relay blocks on the outbox stream this long before it looks again (a write wakes it at once). */
      OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
