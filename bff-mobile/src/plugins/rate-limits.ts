import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { MobileError } from '../errors.ts';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  redis: Redis | null;
  keyPrefix: string;
}

/**
 * Requests per window, counted per access token's user when the route has one (so an app behind a
 * carrier's shared address is not throttled by its neighbours), else per client address. Counted after
 * authentication (`preHandler`), so a forged token is turned away by the token check, not counted.
 * Counters live in Redis when there is one, so every instance counts together; if Redis fails, requests
 * go through rather than fail. Auth routes set their own, tighter, per-address limit (`authRateLimit`).
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app, { max, windowMs, redis, keyPrefix }) => {
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      hook: 'preHandler',
      keyGenerator: (req: FastifyRequest) => (req.shopper ? `user:${req.shopper.userId}` : `ip:${req.ip}`),
      ...(redis ? { redis, nameSpace: `${keyPrefix}rate:` } : {}),
      skipOnError: true,
      errorResponseBuilder: (_req, { max: limit, after }) =>
        new MobileError('MOBILE_RATE_LIMITED', `More than ${limit} requests in the window; try again in ${after}`),
    });
  },
  { name: 'mobile-rate-limits' },
);

/**
 * Route config for register, token and refresh: per client address, counted as the request arrives
 * (before its body is even read), so guessing passwords costs an attacker the limit, not our CPU.
 */
export const authRateLimit = (max: number, windowMs: number) => ({
  max,
  timeWindow: windowMs,
  hook: 'onRequest' as const,
  keyGenerator: (req: FastifyRequest) => `auth:${req.ip}`,
});

/**
 * A second limit on a sign-in route, per credential in its body (the email, the refresh token), counted
 * once the body is read: guessing one account's password from many addresses runs into it as well.
 */
export function credentialRateLimit(app: FastifyInstance, max: number, windowMs: number, credential: (req: FastifyRequest) => string) {
  const limiter = app.createRateLimit({
    max,
    timeWindow: windowMs,
    keyGenerator: (req) => `credential:${createHash('sha256').update(credential(req)).digest('base64url')}`,
  });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const result = await limiter(req);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    throw new MobileError('MOBILE_RATE_LIMITED', `Too many attempts for this account; try again in ${result.ttlInSeconds} s`);
  };
}
