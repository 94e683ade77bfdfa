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
  /** Password hashes (scrypt, ~0.2 s and 32 MiB each) computed at once, sign-ins and registrations together. */
  PASSWORD_HASH_CONCURRENCY: Type.Integer({ default: 2, minimum: 1, maximum: 64 }),
  /** Hashes that may wait for a slot; past them a sign-in or registration gets 503 IDENTITY_BUSY with Retry-After at once. */
  PASSWORD_HASH_QUEUE: Type.Integer({ default: 4, minimum: 0, maximum: 1_000 }),
});

export type Config = ReturnType<typeof readConfig>;
