import { Type } from 'typebox';
import { DatabaseConfig, serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'payments';

export const readConfig = serviceConfig(SERVICE_NAME, 7105, {
  ...DatabaseConfig(SERVICE_NAME),
  // The consumer group that charges for order.payment.requested.
  CHARGES_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-charges` }),
  // How long a charge waits for the (simulated) card provider before it counts as declined for `timeout`.
  PROVIDER_TIMEOUT_MS: Type.Integer({ default: 3000, minimum: 10, maximum: 60_000 }),
});

export type Config = ReturnType<typeof readConfig>;
