import { fileURLToPath } from 'node:url';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
// Types only: `app.db`, declared by the database plugin that createService registers.
import type {} from '@shop/platform/database-plugin';
import { SERVICE_NAME, type Config } from './config.ts';
import { passwordWorkPlugin } from './plugins/password-work.ts';
import { tokensPlugin } from './plugins/tokens.ts';
import tokenRoutes from './routes/tokens/index.ts';
import userRoutes from './routes/users/index.ts';
import wellKnownRoutes from './routes/well-known/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export async function buildApp(config: Config, options: ServiceAppOptions = {}) {
  // Identity consumes nothing: it only publishes user.registered.
  const { app, topics } = await createService(config, options, { name: SERVICE_NAME, topic: 'identity', database: config.DATABASE_URL });
  await app.register(tokensPlugin, {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
  });
  await app.register(passwordWorkPlugin, { concurrency: config.PASSWORD_HASH_CONCURRENCY, queue: config.PASSWORD_HASH_QUEUE });
  await app.register(userRoutes, { topic: topics.identity });
  await app.register(tokenRoutes);
  await app.register(wellKnownRoutes);
  return app;
}
