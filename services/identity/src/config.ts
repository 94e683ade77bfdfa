import { Type } from 'typebox';
import { DatabaseConfig, serviceConfig } from '@shop/platform/service-app';

export const SERVICE_NAME = 'identity';

export const readConfig = serviceConfig(SERVICE_NAME, 7106, {
  ...DatabaseConfig(SERVICE_NAME),
  // Short: an access token cannot be revoked, only left to expire.
  ACCESS_TOKEN_TTL_S: Type.Integer({ default: 900, minimum: 1, maximum: 86_400 }),
  // Operator tokens (admin APIs) minted by `mint-operator-token.ts`: long enough for a working day.
  OPERATOR_TOKEN_TTL_S: Type.Integer({ default: 12 * 3600, minimum: 60, maximum: 7 * 86_400 }),
  REFRESH_TOKEN_TTL_S: Type.Integer({ default: 30 * 86_400, minimum: 60 }),
});

export type Config = ReturnType<typeof readConfig>;
