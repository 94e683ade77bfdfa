import { Redis } from 'ioredis';
import { keysFor, type Keys } from './keys.ts';
import { defineScripts, type Scripts } from './scripts.ts';

/** The connection, the key layout and the Lua scripts, together: what every store module needs. */
export interface CartStore {
  redis: Redis;
  keys: Keys;
  scripts: Scripts;
}

export function openCartStore(url: string, keyPrefix: string): CartStore {
  // A request fails fast when Redis is away instead of queueing for seconds; ioredis reconnects on its own.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectionName: 'cart' });
  return { redis, keys: keysFor(keyPrefix), scripts: defineScripts(redis) };
}
