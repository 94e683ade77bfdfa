import { join } from 'node:path';

/**
 * What makes a chaos run its own: ports, broker, databases and Redis keyspace apart from `npm start`'s
 * and from any other run on the machine, set through the variables the launcher and the parts honour.
 */

/** Added to every default port: shell 13000, bff-web 14000, services 17101–17106, Kafka 19092/19093. */
export const PORT_OFFSET = 10_000;
/** The run's Redis database number on the machine's Redis (its keys never meet `npm start`'s db 0). */
export const CHAOS_REDIS_DB = 13;
/** Every database the run creates is `chaos_<service>`; it drops and recreates them at start. */
export const CHAOS_DB_PREFIX = 'chaos_';
/** The orders saga's step deadline as `npm start` runs it (orders' `STEP_TIMEOUT_MS` default): pauses overrun it. */
export const SAGA_STEP_DEADLINE_MS = 15_000;

const DEFAULT_PORTS: Record<string, number> = {
  SHELL_PORT: 3000, MFE_CATALOG_PORT: 3001, MFE_CART_PORT: 3002, BFF_WEB_PORT: 4000, BFF_MOBILE_PORT: 4100,
  CATALOG_PORT: 7101, INVENTORY_PORT: 7102, CART_PORT: 7103, ORDERS_PORT: 7104, PAYMENTS_PORT: 7105, IDENTITY_PORT: 7106,
  KAFKA_PORT: 9092, KAFKA_CONTROLLER_PORT: 9093,
};
export const DATABASE_SERVICES = ['catalog', 'inventory', 'identity', 'orders', 'payments'];

/**
 * The environment of a chaos run, given where it runs: `repoRoot` (for the broker's storage under
 * `.cache/chaos/`), the PostgreSQL and Redis hosts. Returns variables to set; `KAFKA_BROKERS` must be unset.
 */
export function isolatedEnv(repoRoot: string, pgBase = 'postgres://postgres@127.0.0.1:5432', redisBase = 'redis://127.0.0.1:6379'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, port] of Object.entries(DEFAULT_PORTS)) env[name] = String(port + PORT_OFFSET);
  env.KAFKA_DATA_DIR = join(repoRoot, '.cache', 'chaos', 'kafka');
  for (const s of DATABASE_SERVICES) env[`${s.toUpperCase()}_DATABASE_URL`] = `${pgBase}/${CHAOS_DB_PREFIX}${s}`;
  env.REDIS_URL = `${redisBase}/${CHAOS_REDIS_DB}`;
  // Every shopper of the load signs up from 127.0.0.1 (as the e2e config does, with more room).
  env.AUTH_RATE_LIMIT_PER_MIN = '100000';
  env.SESSION_CREATE_PER_ADDRESS = '1000000';
  env.LIVE_MAX_CONNECTIONS_PER_ADDRESS = '100000';
  env.AUTH_RATE_LIMIT = '100000';
  env.RATE_LIMIT = '1000000';
  // Load shoppers keep their tokens for the whole matrix.
  env.ACCESS_TOKEN_TTL_S = '7200';
  env.TRACING = 'off';
  return env;
}
