import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Type } from 'typebox';

/**
 * Failed sign-ins, counted per account and client address and per client address, with exponential backoff
 * (after OWASP's Authentication Cheat Sheet: throttle failures, never lock the owner out). Only failures count:
 * a correct password succeeds whatever others tried from elsewhere, since the account's counter is per
 * address. After `freeFailures` failures a key waits `2^(n - freeFailures)` seconds after its last failure
 * (capped at `maxBackoffS`); a success resets its account+address counter; counters lapse `windowS` after
 * their last failure.
 */
export interface SignInThrottleOptions {
  /** Failures of one account from one address before backoff starts. */
  accountFreeFailures: number;
  /** Failures from one address, over all accounts, before backoff starts. */
  addressFreeFailures: number;
  /** The longest wait between attempts once backing off (s). */
  maxBackoffS: number;
  /** A counter lapses this long after its last failure (s). */
  windowS: number;
  /** Where counters live: Redis (shared by instances; keys under `keyPrefix`) or, with null, this process. */
  redis: Redis | null;
  keyPrefix: string;
  now?: () => number;
}

export interface SignInThrottle {
  /** Seconds to wait before this attempt may be made (≥ 1), or 0 when it may be made now. */
  retryAfterS(account: string, address: string): Promise<number>;
  /** Records a failed attempt (a wrong password, an unknown account). */
  failed(account: string, address: string): Promise<void>;
  /** Records a success: this account's failures from this address are forgotten. */
  succeeded(account: string, address: string): Promise<void>;
}

interface Counter {
  failures: number;
  lastMs: number;
}

/** The counters' storage: Redis hashes `{n, last}` with a TTL, or a Map in process. */
interface CounterStore {
  get(key: string): Promise<Counter | null>;
  add(key: string, nowMs: number, ttlS: number): Promise<void>;
  drop(key: string): Promise<void>;
}

function redisStore(redis: Redis): CounterStore {
  return {
    async get(key) {
      const h = await redis.hgetall(key);
      return h.n ? { failures: Number(h.n), lastMs: Number(h.last ?? 0) } : null;
    },
    async add(key, nowMs, ttlS) {
      await redis.multi().hincrby(key, 'n', 1).hset(key, 'last', String(nowMs)).expire(key, ttlS).exec();
    },
    async drop(key) {
      await redis.del(key);
    },
  };
}

function memoryStore(now: () => number): CounterStore {
  const counters = new Map<string, Counter & { expiresMs: number }>();
  const live = (key: string) => {
    const c = counters.get(key);
    if (c && c.expiresMs <= now()) counters.delete(key);
    return counters.get(key) ?? null;
  };
  return {
    async get(key) {
      return live(key);
    },
    async add(key, nowMs, ttlS) {
      const c = live(key);
      counters.set(key, { failures: (c?.failures ?? 0) + 1, lastMs: nowMs, expiresMs: nowMs + ttlS * 1000 });
      // Bounded: expired counters go as the map grows.
      if (counters.size > 100_000) for (const k of counters.keys()) live(k);
    },
    async drop(key) {
      counters.delete(key);
    },
  };
}

const digest = (account: string) => createHash('sha256').update(account.normalize('NFKC').toLowerCase()).digest('base64url');

/** A throttle over Redis or, without one, this process. Redis errors propagate (callers decide; see the BFFs). */
export function signInThrottle(options: SignInThrottleOptions): SignInThrottle {
  const now = options.now ?? Date.now;
  const store = options.redis ? redisStore(options.redis) : memoryStore(now);
  // Accounts by digest: keys never hold an email.
  const accountKey = (account: string, address: string) => `${options.keyPrefix}sign-in-failures:account:${digest(account)}:${address}`;
  const addressKey = (address: string) => `${options.keyPrefix}sign-in-failures:address:${address}`;

  const waitS = (counter: Counter | null, free: number) => {
    if (!counter || counter.failures < free) return 0;
    const backoffMs = Math.min(options.maxBackoffS, 2 ** Math.min(30, counter.failures - free)) * 1000;
    const leftMs = counter.lastMs + backoffMs - now();
    return leftMs > 0 ? Math.max(1, Math.ceil(leftMs / 1000)) : 0;
  };

  return {
    async retryAfterS(account, address) {
      const [perAccount, perAddress] = await Promise.all([store.get(accountKey(account, address)), store.get(addressKey(address))]);
      return Math.max(waitS(perAccount, options.accountFreeFailures), waitS(perAddress, options.addressFreeFailures));
    },
    async failed(account, address) {
      const at = now();
      await Promise.all([store.add(accountKey(account, address), at, options.windowS), store.add(addressKey(address), at, options.windowS)]);
    },
    async succeeded(account, address) {
      await store.drop(accountKey(account, address));
    },
  };
}

/** The throttle's variables, for a BFF's config schema (same names and defaults in both BFFs). */
export const SignInThrottleConfig = {
  /** Failed sign-ins of one account from one address before each next attempt waits 1, 2, 4 … s. */
  SIGN_IN_ACCOUNT_FREE_FAILURES: Type.Integer({ default: 5, minimum: 1 }),
  /** Failed sign-ins from one address, over all accounts, before backoff starts for that address. */
  SIGN_IN_ADDRESS_FREE_FAILURES: Type.Integer({ default: 20, minimum: 1 }),
  /** The longest backoff (s). */
  SIGN_IN_BACKOFF_MAX_S: Type.Integer({ default: 900, minimum: 1 }),
  /** Failures are forgotten this long after the last one (s). */
  SIGN_IN_FAILURE_WINDOW_S: Type.Integer({ default: 3_600, minimum: 1 }),
};

/** The throttle's options from a config that includes SignInThrottleConfig. */
export const signInThrottleOptions = (
  config: { SIGN_IN_ACCOUNT_FREE_FAILURES: number; SIGN_IN_ADDRESS_FREE_FAILURES: number; SIGN_IN_BACKOFF_MAX_S: number; SIGN_IN_FAILURE_WINDOW_S: number },
  redis: Redis | null,
  keyPrefix: string,
): SignInThrottleOptions => ({
  accountFreeFailures: config.SIGN_IN_ACCOUNT_FREE_FAILURES,
  addressFreeFailures: config.SIGN_IN_ADDRESS_FREE_FAILURES,
  maxBackoffS: config.SIGN_IN_BACKOFF_MAX_S,
  windowS: config.SIGN_IN_FAILURE_WINDOW_S,
  redis,
  keyPrefix,
});
