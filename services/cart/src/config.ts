import { Type } from 'typebox';
import { serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'cart';

export const readConfig = serviceConfig(SERVICE_NAME, 7103, {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
  /** Every key this service writes starts with it, so a test run can have a keyspace of its own. */
  KEY_PREFIX: Type.String({ default: 'cart:', pattern: '^[A-Za-z0-9:._-]+$' }),
  CONSUMER_GROUP_ID: Type.String({ default: 'cart', minLength: 1 }),
});

export type Config = ReturnType<typeof readConfig>;
