import { Type } from 'typebox';
import { BaseConfig, KafkaConfig, loadConfig } from '@shop/platform/config';

export const SERVICE_NAME = 'payments';

export const readConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...BaseConfig,
      ...KafkaConfig,
      PORT: Type.Integer({ default: 7105 }),
      DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/payments' }),
      OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
      // Names the relay's Kafka transactions: unique per service database.
      OUTBOX_RELAY_ID: Type.String({ default: `${SERVICE_NAME}-outbox` }),
      // The consumer group that charges for order.payment.requested.
      CHARGES_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-charges` }),
      // How long a charge waits for the (simulated) card provider before it counts as declined for `timeout`.
      PROVIDER_TIMEOUT_MS: Type.Integer({ default: 3000, minimum: 10, maximum: 60_000 }),
    },
    env,
  );

export type Config = ReturnType<typeof readConfig>;
