import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/** `app.redis`: the connection that sessions and the sign-in rate limit share with every other instance. */
export const redisPlugin = fp<{ url: string }>(
  async (app, { url }) => {
    // Fail fast rather than queue while Redis is away: a request answers 503 instead of hanging.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000 });
    redis.on('error', (err) => app.log.warn({ err }, 'redis connection error'));
    app.decorate('redis', redis);
    // Shown in /ready's body, not gating it: without sessions the catalog pages still serve.
    app.health.register('redis', async () => {
      try {
        await redis.ping();
        return { state: 'ok' };
      } catch (err) {
        return { state: 'degraded', error: (err as Error).message };
      }
    });
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'redis' },
);

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}
