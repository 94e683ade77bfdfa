import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform/logger';
import { stockChanged } from '@shop/platform/testing/live-events';
import { pushOnce, type LiveServer } from '../../src/plugins/live-hub.ts';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';

/**
 * Integration, real Redis: who pushes an event that every instance consumed. One instance pushes it;
 * when the instance that claimed it dies before pushing, another pushes it in its place.
 */
describe('pushOnce', () => {
  const redis = new Redis(testConfig().REDIS_URL);
  const prefix = `${SESSION_KEY_PREFIX}push-once:`;
  const log = createLogger('test', 'silent');
  const TAKE_OVER_MS = 150;
  const pushers: ReturnType<typeof pushOnce>[] = [];

  /** An instance's pusher over a stand-in `io` whose targets are named, and what it pushed. */
  function instance(name: string) {
    const io = { name: `${name}: all`, local: { name: `${name}: local` } } as unknown as LiveServer;
    const pusher = pushOnce(io, redis, prefix, log, TAKE_OVER_MS);
    pushers.push(pusher);
    const pushed: string[] = [];
    const consume = (event = stockChanged('KIT-0001', 3, 1)) =>
      pusher(event, (to) => pushed.push((to as unknown as { name: string }).name));
    return { consume, pushed };
  }

  const settled = () => new Promise((resolve) => setTimeout(resolve, TAKE_OVER_MS * 3));

  afterAll(async () => {
    for (const pusher of pushers) pusher.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('has exactly one of three instances push an event all three consumed, to every instance', async () => {
    const event = { ...stockChanged('KIT-0001', 3, 1), id: randomUUID() };
    const [a, b, c] = [instance('a'), instance('b'), instance('c')];
    await Promise.all([a.consume(event), b.consume(event), c.consume(event)]);
    await settled();
    expect([...a.pushed, ...b.pushed, ...c.pushed]).toHaveLength(1);
    expect([...a.pushed, ...b.pushed, ...c.pushed][0]).toMatch(/: all$/);
  });

  it('pushes in the place of an instance that claimed an event and died before pushing it', async () => {
    const event = { ...stockChanged('KIT-0002', 0, 7), id: randomUUID() };
    // What a claimer leaves behind when it is killed between its claim and its push.
    await redis.set(`${prefix}pushed:${event.source}:${event.id}`, `claimed:${randomUUID()}`, 'EX', 60);
    const [b, c] = [instance('b'), instance('c')];
    await Promise.all([b.consume(event), c.consume(event)]);
    expect([...b.pushed, ...c.pushed]).toEqual([]);
    await settled();
    expect([...b.pushed, ...c.pushed]).toHaveLength(1);
    expect([...b.pushed, ...c.pushed][0]).toMatch(/: all$/);
  });

  it('pushes to its own sockets only when Redis cannot decide', async () => {
    const broken = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    broken.on('error', () => {});
    const io = { name: 'all', local: { name: 'local' } } as unknown as LiveServer;
    const pushed: string[] = [];
    const pusher = pushOnce(io, broken, prefix, log, TAKE_OVER_MS);
    await pusher(stockChanged('KIT-0001', 1, 2), (to) => pushed.push((to as unknown as { name: string }).name));
    pusher.close();
    expect(pushed).toEqual(['local']);
    broken.disconnect();
  });
});
