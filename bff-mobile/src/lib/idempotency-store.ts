import type { Redis } from 'ioredis';

/** What is remembered of one checkout: a fingerprint of its request, and its order once placed. */
export interface IdempotencyRecord {
  fingerprint: string;
  orderId?: string;
  status?: string;
}

/**
 * Checkout records by Idempotency-Key. `claim` is atomic: of concurrent requests with one key, exactly
 * one gets to place the order; the others find its record (pending, then with the order).
 */
export interface IdempotencyStore {
  /** Null when this caller now owns the key (pending for `pendingTtlS`), else the record already there. */
  claim(key: string, fingerprint: string, pendingTtlS: number): Promise<IdempotencyRecord | null>;
  get(key: string): Promise<IdempotencyRecord | null>;
  complete(key: string, record: IdempotencyRecord, ttlS: number): Promise<void>;
  /** Gives up a pending claim (the checkout failed), so a retry may try again at once. */
  release(key: string): Promise<void>;
}

export function memoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const records = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  const live = (key: string) => {
    const entry = records.get(key);
    if (entry && entry.expiresAt <= now()) records.delete(key);
    return records.get(key)?.record ?? null;
  };
  // Expired records are dropped as they are met, and in a sweep as the map grows.
  const sweep = () => {
    if (records.size < 10_000) return;
    for (const [key, entry] of records) if (entry.expiresAt <= now()) records.delete(key);
  };
  return {
    async claim(key, fingerprint, pendingTtlS) {
      const existing = live(key);
      if (existing) return existing;
      sweep();
      records.set(key, { record: { fingerprint }, expiresAt: now() + pendingTtlS * 1000 });
      return null;
    },
    get: async (key) => live(key),
    async complete(key, record, ttlS) {
      records.set(key, { record, expiresAt: now() + ttlS * 1000 });
    },
    async release(key) {
      if (live(key)?.orderId === undefined) records.delete(key);
    },
  };
}

// Deletes the record only while it is still pending: a completed checkout is never forgotten early.
const RELEASE_PENDING = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, record = pcall(cjson.decode, raw)
if ok and record.orderId == nil then return redis.call('DEL', KEYS[1]) end
return 0`;

export function redisIdempotencyStore(redis: Redis, prefix: string): IdempotencyStore {
  const k = (key: string) => `${prefix}idem:${key}`;
  const parse = (raw: string | null): IdempotencyRecord | null => (raw ? (JSON.parse(raw) as IdempotencyRecord) : null);
  return {
    async claim(key, fingerprint, pendingTtlS) {
      const claimed = await redis.set(k(key), JSON.stringify({ fingerprint }), 'EX', pendingTtlS, 'NX');
      if (claimed === 'OK') return null;
      // Expired between SET and GET: the key is free, claim it again.
      return parse(await redis.get(k(key))) ?? this.claim(key, fingerprint, pendingTtlS);
    },
    get: async (key) => parse(await redis.get(k(key))),
    async complete(key, record, ttlS) {
      await redis.set(k(key), JSON.stringify(record), 'EX', ttlS);
    },
    async release(key) {
      await redis.eval(RELEASE_PENDING, 1, k(key));
    },
  };
}
