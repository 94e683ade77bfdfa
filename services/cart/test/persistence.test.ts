import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisHandle } from '@shop/infra/redis/server';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { eur, guestCart, uniquePrefix } from './support.ts';

/**
 * Carts survive their Redis dying without warning: the project's own Redis (the launcher's code, the machine's
 * redis-server binary, append-only with fsync on every write) on a port and data folder of this test's own,
 * SIGKILLed by its pid (a process this test started) and started again on the same files.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'cart-redis-'));
let port: number;
let redis: RedisHandle;
let app: Awaited<ReturnType<typeof buildApp>>;

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });

beforeAll(async () => {
  port = await freePort();
  redis = await startRedisServer({ port, dataDir });
  app = await buildApp(readConfig({ REDIS_URL: redis.url, KEY_PREFIX: uniquePrefix('cart-persist'), LOG_LEVEL: 'silent' }), { messaging: false });
  await app.productProjection.applyCatalog('KIT-0001', 1, eur(6400), 'Chef Knife');
  await app.productProjection.applyStock('KIT-0001', 1, 10);
}, 30_000);
afterAll(async () => {
  await app?.close();
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a cart across a SIGKILL of its Redis', () => {
  it('is still there, lines, prices and version, once Redis is back on the same files', async () => {
    const id = guestCart();
    const put = await app.inject({ method: 'PUT', url: `/carts/${id}/lines/KIT-0001`, payload: { quantity: 2 } });
    expect(put.statusCode).toBe(200);
    const before = put.json();

    // No shutdown, no save: the process is gone at once. Acknowledged writes must already be on disk.
    process.kill(redis.pid!, 'SIGKILL');
    await redis.stop(); // resolves once it has exited
    redis = await startRedisServer({ port, dataDir });

    let after: { statusCode: number; json(): unknown } | undefined;
    for (let i = 0; i < 50; i++) {
      // ioredis reconnects by itself; a read meanwhile may fail, and then it is asked again.
      after = await app.inject({ method: 'GET', url: `/carts/${id}` });
      if (after.statusCode === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(after!.statusCode).toBe(200);
    expect(after!.json()).toEqual(before);
    expect(before).toMatchObject({ lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity: 2 }], total: eur(12800) });
  }, 30_000);
});
