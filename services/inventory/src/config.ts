import { Type } from 'typebox';
import { OperatorAuthConfig } from '@shop/platform/operator-auth';
import { DatabaseConfig, serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'inventory';

export const readConfig = serviceConfig(SERVICE_NAME, 7102, {
  ...DatabaseConfig(SERVICE_NAME),
  // Admin routes verify operator tokens against identity's keys.
  ...OperatorAuthConfig,
  // The consumer group that reserves, releases and commits stock for the checkout saga.
  RESERVATIONS_GROUP_ID: Type.String({ default: `${SERVICE_NAME}-reservations` }),
});

export type Config = ReturnType<typeof readConfig>;
