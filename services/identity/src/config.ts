import { Type } from 'typebox';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'identity';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 7106 }),
      DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/identity' }),
      // Short: an access token cannot be revoked, only left to expire.
      ACCESS_TOKEN_TTL_S: Type.Integer({ default: 900, minimum: 1, maximum: 86_400 }),
      REFRESH_TOKEN_TTL_S: Type.Integer({ default: 30 * 86_400, minimum: 60 }),
      OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
      // Names the relay's Kafka transactions: unique per service database.
      OUTBOX_RELAY_ID: Type.String({ default: `${SERVICE_NAME}-outbox` }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
