import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_START, type ChangeLog, type ReadResult } from '../../src/live/change-log.ts';
import { memoryChangeLog } from '../../src/live/memory-change-log.ts';
import { redisChangeLog } from '../../src/live/redis-change-log.ts';
import { REDIS_URL, testKeyspace } from '../support/redis.ts';

const ids = (result: ReadResult) => (result.kind === 'entries' ? result.entries.map((e) => e.id) : 'gap');
const datas = (result: ReadResult) => (result.kind === 'entries' ? result.entries.map((e) => e.data) : 'gap');

/** The same behaviour from both logs: in process (one instance) and in Redis (shared by instances). */
function changeLogSuite(name: string, make: (maxEntries: number) => Promise<ChangeLog>) {
  describe(`${name} change log`, () => {
    let log: ChangeLog;
    let n = 0;
    const stream = () => `stock:TEST-${n}`;
    beforeEach(async () => {
      n++;
      log = await make(3);
      await log.ready();
    });

    it('keeps versioned changes in order, and drops repeated and stale ones', async () => {
      const s = stream();
      expect(await log.append(s, { v: 1 }, { version: 1 })).toBe('1-0');
      expect(await log.append(s, { v: 2 }, { version: 2 })).toBe('2-0');
      expect(await log.append(s, { v: 2 }, { version: 2 })).toBeNull(); // redelivered
      expect(await log.append(s, { v: 1 }, { version: 1 })).toBeNull(); // stale
      expect(datas(await log.read(s, LOG_START, { versioned: true }))).toEqual([{ v: 1 }, { v: 2 }]);
      expect(datas(await log.read(s, '1-0', { versioned: true }))).toEqual([{ v: 2 }]);
      expect(datas(await log.read(s, '2-0', { versioned: true }))).toEqual([]);
    });

    it('numbers unversioned changes itself and keeps a redelivered event out', async () => {
      const s = `user:${n}`;
      const first = await log.append(s, { kind: 'cart' }, { dedupeKey: `event-a-${n}-${name}` });
      const again = await log.append(s, { kind: 'cart' }, { dedupeKey: `event-a-${n}-${name}` });
      const second = await log.append(s, { kind: 'order' }, { dedupeKey: `event-b-${n}-${name}` });
      expect(first).toMatch(/^\d+-\d+$/);
      expect(again).toBeNull();
      expect(ids(await log.read(s, LOG_START))).toEqual([first, second]);
      expect(await log.head(s)).toBe(second);
      expect(datas(await log.read(s, first!))).toEqual([{ kind: 'order' }]);
    });

    it('reports a gap, with the newest entry, when what a reader missed was trimmed', async () => {
      const s = stream();
      for (let v = 1; v <= 5; v++) await log.append(s, { v }, { version: v }); // keeps 3..5
      expect(datas(await log.read(s, '2-0', { versioned: true }))).toEqual([{ v: 3 }, { v: 4 }, { v: 5 }]);
      expect(await log.read(s, '1-0', { versioned: true })).toEqual({ kind: 'gap', latest: { id: '5-0', data: { v: 5 } } });
    });

    it('reports a gap for a reader ahead of the log, or of a log that is gone', async () => {
      const s = stream();
      await log.append(s, { v: 1 }, { version: 1 });
      expect((await log.read(s, '9-0', { versioned: true })).kind).toBe('gap');
      expect(await log.read('stock:NEVER-LOGGED', '4-0', { versioned: true })).toEqual({ kind: 'gap', latest: null });
      expect(await log.read('stock:NEVER-LOGGED', LOG_START, { versioned: true })).toEqual({ kind: 'entries', entries: [] });
    });

    it('reports a gap when a versioned stream starts after a hole in what the reader saw', async () => {
      const s = stream();
      await log.append(s, { v: 7 }, { version: 7 });
      expect(datas(await log.read(s, '6-0', { versioned: true }))).toEqual([{ v: 7 }]);
      expect((await log.read(s, '5-0', { versioned: true })).kind).toBe('gap');
    });

    it('tells subscribers which stream changed', async () => {
      const s = stream();
      const heard = vi.fn();
      const stop = log.subscribe(heard);
      await log.ready();
      await log.append(s, { v: 1 }, { version: 1 });
      await vi.waitFor(() => expect(heard).toHaveBeenCalledWith(s));
      stop();
    });
  });
}

changeLogSuite('in-process', async (maxEntries) => memoryChangeLog({ maxEntries, ttlMs: 60_000 }));

const keyspace = testKeyspace();
const connections: Redis[] = [];
const logs: ChangeLog[] = [];
changeLogSuite('Redis', async (maxEntries) => {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  const log = redisChangeLog({ redis, prefix: keyspace.prefix, maxEntries, ttlS: 60 });
  logs.push(log);
  return log;
});

describe('Redis change log shared by two instances', () => {
  it('lets an instance read, and hear of, what another appended', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    connections.push(a, b);
    const one = redisChangeLog({ redis: a, prefix: keyspace.prefix, maxEntries: 10, ttlS: 60 });
    const two = redisChangeLog({ redis: b, prefix: keyspace.prefix, maxEntries: 10, ttlS: 60 });
    logs.push(one, two);
    const heard = vi.fn();
    two.subscribe(heard);
    await two.ready();
    // Both instances consumed the same event: it is logged once.
    expect(await one.append('user:shared', { kind: 'cart' }, { dedupeKey: 'shared-event' })).not.toBeNull();
    expect(await two.append('user:shared', { kind: 'cart' }, { dedupeKey: 'shared-event' })).toBeNull();
    await vi.waitFor(() => expect(heard).toHaveBeenCalledWith('user:shared'));
    expect(datas(await two.read('user:shared', LOG_START))).toEqual([{ kind: 'cart' }]);
  });
});

afterAll(async () => {
  for (const log of logs) await log.close();
  for (const redis of connections) redis.disconnect();
  await keyspace.drop();
});
