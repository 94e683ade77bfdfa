import { Type } from 'typebox';
import { OperatorAuthConfig } from '@shop/platform/operator-auth';
import { DatabaseConfig, serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'catalog';

export const readConfig = serviceConfig(SERVICE_NAME, 7101, {
  ...DatabaseConfig(SERVICE_NAME),
  // Admin routes verify operator tokens against identity's keys.
  ...OperatorAuthConfig,
  READ_MODEL_GROUP_ID: Type.String({ default: 'catalog-read-model' }),
});

export type Config = ReturnType<typeof readConfig>;
