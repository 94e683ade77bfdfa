import { Type } from 'typebox';
import { serviceConfig } from '@shop/platform/service-app';
import type { CartLimits } from './cart-repository.ts';

export const SERVICE_NAME = 'cart';

export const readConfig = serviceConfig(SERVICE_NAME, 7103, {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
  /** Every key this service writes starts with it, so a test run can have a keyspace of its own. */
  KEY_PREFIX: Type.String({ default: 'cart:', pattern: '^[A-Za-z0-9:._-]+$' }),
  CONSUMER_GROUP_ID: Type.String({ default: 'cart', minLength: 1 }),
  // Bounds of one cart, checked when a line is added (409 naming the limit).
  CART_MAX_LINES: Type.Integer({ default: 100, minimum: 1, maximum: 1000 }),
  CART_MAX_QUANTITY: Type.Integer({ default: 99, minimum: 1, maximum: 99 }),
  // In minor units; at most Money's largest amount, so a cart's total always fits the contract.
  CART_MAX_TOTAL_MINOR: Type.Integer({ default: 10_000_000, minimum: 1, maximum: 100_000_000 }),
  // Events the outbox stream may hold while Kafka is away; beyond it changes answer 503 with Retry-After.
  CART_OUTBOX_MAX: Type.Integer({ default: 10_000, minimum: 1 }),
  CART_OUTBOX_RETRY_AFTER_S: Type.Integer({ default: 5, minimum: 1, maximum: 3600 }),
});

export type Config = ReturnType<typeof readConfig>;

/** The cart's bounds as the repository takes them, from the CART_* variables (their defaults when unset). */
export const cartLimits = (config: Config): CartLimits => ({
  maxLines: config.CART_MAX_LINES,
  maxQuantity: config.CART_MAX_QUANTITY,
  maxTotalMinor: config.CART_MAX_TOTAL_MINOR,
  outboxMax: config.CART_OUTBOX_MAX,
  outboxRetryAfterS: config.CART_OUTBOX_RETRY_AFTER_S,
});
