import { Type } from 'typebox';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'inventory';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 7102 }),
      DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/inventory' }),
      OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
      // Names the relay's Kafka transactions: unique per service database.
      OUTBOX_RELAY_ID: Type.String({ default: `${SERVICE_NAME}-outbox` }),
      // The consumer group that reserves, releases and commits stock for the checkout saga.
      RESERVATIONS_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-reservations` }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
