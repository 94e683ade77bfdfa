import { Type } from 'typebox';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'orders';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 7104 }),
      DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/orders' }),
      OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
      // Names the relay's Kafka transactions: unique per service database.
      OUTBOX_RELAY_ID: Type.String({ default: `${SERVICE_NAME}-outbox` }),
      // The consumer group that moves orders on with inventory's and payments' answers.
      SAGA_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-saga` }),
      // How long an order may wait for one answer (stock, payment, commit) before the sweeper moves it on.
      STEP_TIMEOUT_MS: Type.Integer({ default: 15_000, minimum: 100 }),
      // How often the sweeper looks for overdue orders (it also looks once at start).
      SWEEP_INTERVAL_MS: Type.Integer({ default: 2_000, minimum: 50 }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
