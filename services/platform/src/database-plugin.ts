import fp from 'fastify-plugin';
import { createPool, type Pool } from './db.ts';

/** Decorates the app with its service's own database pool, checked by `/ready` and closed with the app. */
export const databasePlugin = fp<{ url: string }>(
  async (app, { url }) => {
    const pool = createPool(url, 10, app.log);
    app.decorate('db', pool);
    app.readinessChecks.set('database', () => pool.query('SELECT 1'));
    app.addHook('onClose', () => pool.end());
  },
  { name: 'database' },
);

declare module 'fastify' {
  interface FastifyInstance {
    db: Pool;
  }
}
