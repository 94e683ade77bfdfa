import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { signInThrottle, type SignInThrottle, type SignInThrottleOptions } from '@shop/platform/sign-in-throttle';
import { tooManyAttempts } from '../errors.ts';

export interface AuthRateLimitOptions {
  /** Attempts per client address and route in a minute. */
  perMinute: number;
  /** Prefix of the counters' Redis keys. */
  keyPrefix: string;
  /** Failed sign-ins per account+address and per address, with backoff (`app.signInThrottle`). */
  throttle: SignInThrottleOptions;
}

/**
 * Counts the attempts at the routes that check a password (they opt in with `config: authAttempts`), per
 * client address, in Redis so every instance counts together. Counted as the request arrives, before its
 * body is read, so guessing passwords costs an attacker the limit rather than our CPU (identity's scrypt).
 * If Redis fails the attempt goes through: the session it needs answers 503 by itself.
 */
export const authRateLimitPlugin = fp<AuthRateLimitOptions>(
  async (app, { perMinute, keyPrefix, throttle }) => {
    app.decorate('signInThrottle', signInThrottle(throttle));
    await app.register(rateLimit, {
      global: false,
      max: perMinute,
      timeWindow: 60_000,
      redis: app.redis,
      nameSpace: keyPrefix,
      skipOnError: true,
      errorResponseBuilder: (_req, { ttl }) => tooManyAttempts(Math.max(1, Math.ceil(ttl / 1000))),
    });
  },
  { name: 'auth-rate-limit', dependencies: ['redis'] },
);

/** Route config of a route that checks a password: its own counter per address, under the limit above. */
export const authAttempts = { rateLimit: {} };

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed sign-ins, per account+address and per address: only failures count, so the owner is never locked out. */
    signInThrottle: SignInThrottle;
  }
}
