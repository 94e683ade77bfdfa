import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../src/chaos/isolation.ts';

describe('chaos isolation', () => {
  const env = isolatedEnv('/repo');

  it('moves every port 10000 up, the broker included', () => {
    expect(env).toMatchObject({ SHELL_PORT: '13000', BFF_WEB_PORT: '14000', BFF_MOBILE_PORT: '14100', CATALOG_PORT: '17101', IDENTITY_PORT: '17106', KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093' });
  });

  it('gives the run its own databases, Redis database and broker storage', () => {
    expect(env.ORDERS_DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/chaos_orders');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379/13');
    expect(env.KAFKA_DATA_DIR).toBe('/repo/.cache/chaos/kafka');
    expect(env).not.toHaveProperty('KAFKA_BROKERS');
  });
});
