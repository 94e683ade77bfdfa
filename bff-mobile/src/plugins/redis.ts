import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/**
 * `app.redis`: the Redis connection several instances share state through (live change log,
 * checkout idempotency, rate limits), or null when REDIS_URL is empty and each store stays in process.
 */
export const redisPlugin = fp<{ url: string }>(
  async (app, { url }) => {
    if (!url) {
      app.decorate('redis', null);
      return;
    }
    // Fail a command fast while Redis is away rather than queueing it; ioredis reconnects on its own.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: true });
    redis.on('error', (err) => app.log.warn({ err }, 'redis connection error'));
    await redis.connect();
    app.decorate('redis', redis);
    app.readinessChecks.set('redis', () => redis.ping());
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'redis' },
);

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null;
  }
}
