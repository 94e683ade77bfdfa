import { Type } from 'typebox';
import { DatabaseConfig, serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'orders';

export const readConfig = serviceConfig(SERVICE_NAME, 7104, {
  ...DatabaseConfig(SERVICE_NAME),
  // Orders prices every line from the catalog's current prices (GET /prices), within this budget (ms).
  CATALOG_URL: Type.String({ default: 'http://127.0.0.1:7101', pattern: '^https?://[^\\s]+$' }),
  CATALOG_TIMEOUT_MS: Type.Integer({ default: 2_000, minimum: 10, maximum: 30_000 }),
  // Consecutive failed calls to the catalog that open its circuit, and how long it stays open (ms).
  CATALOG_BREAKER_THRESHOLD: Type.Integer({ default: 5, minimum: 1 }),
  CATALOG_BREAKER_HALF_OPEN_MS: Type.Integer({ default: 5_000, minimum: 100 }),
  // The consumer group that moves orders on with inventory's and payments' answers.
  SAGA_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-saga` }),
  // How long an order may wait for one answer (stock, payment, commit) before the sweeper moves it on.
  STEP_TIMEOUT_MS: Type.Integer({ default: 15_000, minimum: 100 }),
  // How often the sweeper looks for overdue orders (it also looks once at start).
  SWEEP_INTERVAL_MS: Type.Integer({ default: 2_000, minimum: 50 }),
});

export type Config = ReturnType<typeof readConfig>;
