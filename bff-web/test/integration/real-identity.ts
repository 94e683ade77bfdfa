import { Redis } from 'ioredis';
import { createTestDatabase } from '@shop/platform/testing/database';
import type { App } from '@shop/platform/server';
import { buildApp as buildIdentity, migrationsDir } from '@shop/identity/app';
import { readConfig as identityConfig } from '@shop/identity/config';
import { FakeCatalog, FakeInventory, FakeOrders, FakePayments } from '@shop/platform/testing/fake-clients';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { buildApp } from '../../src/app.ts';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { products } from '../shop.ts';

/** The real identity service, and bff-web instances that sign in against it. */
export interface RealIdentity {
  /** The identity service's app, for requests straight to it (`service.inject`). */
  service: Awaited<ReturnType<typeof buildIdentity>>;
  /** A bff-web app (one instance) using this identity and the test Redis, other services faked. */
  bffWeb(): Promise<App>;
  /** Closes the identity service, drops its database and deletes this run's sessions; apps are the caller's. */
  close(): Promise<void>;
}

/**
 * Starts the real identity service on a random port with its own test database (`databaseName` prefix),
 * its access tokens living `accessTtlS` seconds (short, so a refresh can be seen).
 */
export async function startRealIdentity(databaseName: string, accessTtlS: number): Promise<RealIdentity> {
  const database = await createTestDatabase(databaseName, migrationsDir);
  const identity = await buildIdentity(identityConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ACCESS_TOKEN_TTL_S: String(accessTtlS) }), {
    messaging: false,
  });
  const identityUrl = await listenOnRandomPort(identity as unknown as App);
  return {
    service: identity,
    bffWeb: () =>
      buildApp(testConfig({ IDENTITY_URL: identityUrl, DOWNSTREAM_TIMEOUT_MS: '5000' }), {
        clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), cart: new FakeCart(products()), orders: new FakeOrders(), payments: new FakePayments() },
        liveEvents: null,
      }),
    async close() {
      identity.server.closeAllConnections(); // bff-web's fetch keeps connections alive
      await identity.close();
      await database.drop();
      const redis = new Redis(testConfig().REDIS_URL);
      const keys = await redis.keys(`${SESSION_KEY_PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
