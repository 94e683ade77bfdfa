import fp from 'fastify-plugin';
import { openCartStore, type CartStore } from '../store/cart-store.ts';

export interface RedisPluginOptions {
  url: string;
  keyPrefix: string;
}

/** Connects to Redis for as long as the app is up; `/ready` pings it. */
export const redisPlugin = fp<RedisPluginOptions>(
  async (app, { url, keyPrefix }) => {
    const store = openCartStore(url, keyPrefix);
    store.redis.on('error', (err) => app.log.warn({ err }, 'redis connection error'));
    app.decorate('cartStore', store);
    app.readinessChecks.set('redis', () => store.redis.ping());
    app.addHook('onClose', async () => {
      await store.redis.quit().catch(() => store.redis.disconnect());
    });
  },
  { name: 'redis' },
);

// Each workspace type-checks on its own (its tsconfig.json, `tsc -b`), so this name need only be unique within cart.
declare module 'fastify' {
  interface FastifyInstance {
    cartStore: CartStore;
  }
}
