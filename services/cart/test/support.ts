import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own per test file and run, so runs never see each other's carts. */
export const uniquePrefix = (name: string) => `test:${name}:${randomUUID().slice(0, 8)}:`;

/** Deletes every key under the prefix. */
export async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const guestCart = () => `guest-${randomUUID()}`;
export const userCart = (userId: string = randomUUID()) => `user-${userId}`;
export const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
