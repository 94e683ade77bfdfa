import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors/index.js';
import { describe, expect, it } from 'vitest';
import { isUnavailable } from '../src/unavailable.ts';

/** The error a real ioredis client rejects a command with, offline (nothing is listening on port 1). */
async function commandError(options: RedisOptions, before?: (redis: Redis) => void): Promise<unknown> {
  const redis = new Redis({ port: 1, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...options });
  redis.on('error', () => undefined);
  before?.(redis);
  try {
    await redis.get('k');
    throw new Error('the command should have failed');
  } catch (err) {
    return err;
  } finally {
    redis.disconnect();
  }
}

describe('isUnavailable', () => {
  it('takes ioredis giving up on a command while Redis is away as an outage', async () => {
    expect(isUnavailable(new MaxRetriesPerRequestError(20))).toBe(true);
    // A command on a client whose connection was closed.
    const closed = await commandError({}, (redis) => redis.disconnect());
    expect((closed as Error).message).toMatch(/Connection is closed/);
    expect(isUnavailable(closed)).toBe(true);
    // No offline queue and no connection.
    const offline = await commandError({ enableOfflineQueue: false });
    expect(isUnavailable(offline)).toBe(true);
  });

  it('takes a refused Redis connection as an outage', async () => {
    const redis = new Redis({ port: 1, lazyConnect: true, retryStrategy: () => null });
    const refused = await new Promise<unknown>((resolve) => {
      redis.once('error', resolve);
      redis.connect().catch(() => undefined);
    });
    redis.disconnect();
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isUnavailable(refused)).toBe(true);
    expect(isUnavailable(new Error('write failed', { cause: refused }))).toBe(true);
  });

  it('takes Redis replies sent while it loads or fails over as an outage, and other replies as the request\'s fault', () => {
    expect(isUnavailable(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isUnavailable(new ReplyError('READONLY You can\'t write against a read only replica.'))).toBe(true);
    expect(isUnavailable(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isUnavailable(new ReplyError('ERR value is not an integer or out of range'))).toBe(false);
  });

  it('leaves bad data and programming errors to be retried and dead-lettered', () => {
    expect(isUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
    expect(isUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
  });
});
