import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { OutboxRelay, OutboxSink } from './outbox.ts';
import { startRelayLoop, type OutboxStore, type StoredRecord } from './relay-loop.ts';

/** Atomically: takes the lease if free, or extends it if this holder has it. → 1 if held. */
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;
/** Atomically: lets the lease go if this holder has it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisOutboxStoreOptions {
  redis: Redis;
  /**
   * The outbox stream. Writers append an entry with fields `seq` (a number from a counter, unique and
   * rising), `topic`, `key` and `value`, in the same atomic step (a Lua script) as the change.
   */
  streamKey: string;
  /** Holds the relays' lease: the relay that holds it publishes, others stand by. */
  leaseKey: string;
  /** How long a blocking read waits (ms) before it looks again; the lease lasts three times that (at least 10 s). */
  blockMs: number;
  log: FastifyBaseLogger;
}

/**
 * A Redis stream as an outbox, for `startRelayLoop`: entries are deleted once published. Woken by a
 * blocking read on a connection of its own; leadership is a lease renewed on every run.
 */
export function redisOutboxStore({ redis, streamKey, leaseKey, blockMs, log }: RedisOutboxStoreOptions): OutboxStore<string> {
  const holder = randomUUID();
  const leaseMs = Math.max(3 * blockMs, 10_000);
  const eval1 = (lua: string, ...args: (string | number)[]) => redis.eval(lua, 1, leaseKey, ...args);
  let held = false;
  let stopped = false;
  // A blocking read ties up its connection: wake-ups wait on a connection of their own.
  let waiter: Redis | undefined;

  const read = async (count: number): Promise<StoredRecord<string>[]> => {
    const entries = await redis.xrange(streamKey, '-', '+', 'COUNT', count);
    return entries.map(([streamId, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      return { handle: streamId, record: { id: Number(f.seq), topic: f.topic ?? '', key: f.key ?? '', value: f.value ?? '' } };
    });
  };
  const remove = async (streamIds: string[]) => {
    if (streamIds.length > 0) await redis.xdel(streamKey, ...streamIds);
  };

  return {
    async watch(wake) {
      const connection = redis.duplicate();
      waiter = connection;
      const watching = (async () => {
        let lastSeen = '0-0';
        while (!stopped) {
          wake();
          try {
            const reply = await connection.xread('COUNT', 100, 'BLOCK', blockMs, 'STREAMS', streamKey, lastSeen);
            const seen = reply?.[0]?.[1].at(-1)?.[0];
            if (seen) lastSeen = seen;
          } catch (err) {
            if (stopped) return;
            log.warn({ err }, 'waiting on the outbox stream failed; retrying');
            await new Promise((resolve) => setTimeout(resolve, blockMs));
          }
        }
      })();
      return async () => {
        stopped = true;
        connection.disconnect();
        await watching;
      };
    },
    async lead() {
      held = (await eval1(LEASE, holder, leaseMs)) === 1;
      return held;
    },
    leading: () => held,
    async resign() {
      held = false;
      await eval1(RELEASE, holder);
    },
    read,
    markPublished: (records) => remove(records.map((r) => r.handle)),
    async settle(ids) {
      // The last batch the broker committed may still head the stream if its relay died before deleting it.
      const published = new Set(ids);
      const head = published.size > 0 ? await read(published.size) : [];
      const settled = head.filter((e) => published.has(e.record.id)).map((e) => e.handle);
      await remove(settled);
      return settled.length;
    },
    async backlog() {
      const [backlog, first] = await Promise.all([redis.xlen(streamKey), redis.xrange(streamKey, '-', '+', 'COUNT', 1)]);
      // Stream ids start with the Redis clock's ms at append.
      const appendedMs = Number(first[0]?.[0].split('-')[0]);
      return { backlog, oldestPendingMs: first.length > 0 ? Math.max(0, Date.now() - appendedMs) : 0 };
    },
    watching: () => waiter?.status === 'ready',
  };
}

export interface RedisOutboxRelayOptions {
  redis: Redis;
  /** See `RedisOutboxStoreOptions`. */
  streamKey: string;
  leaseKey: string;
  /** Opened on taking the lease: opening a sink fences the one an earlier holder had. */
  openSink(): Promise<OutboxSink>;
  logger: FastifyBaseLogger;
  /** How long the relay blocks on the stream (ms) before it looks again (and renews its lease). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Age (ms) of the oldest pending entry past which a relay that keeps failing is `stuck` (default 60 s). */
  stuckAfterMs?: number;
}

/**
 * Publishes a Redis-stream outbox through the relay loop (see `startRelayLoop`), one relay per
 * keyspace leading. Delivery is at least once: should the relay die between the Kafka commit and the
 * delete, the checkpoint usually saves a resend, but a lost lease or a trimmed checkpoint can still
 * repeat an event, which versioned events let consumers drop.
 */
export function startRedisOutboxRelay({
  redis, streamKey, leaseKey, openSink, logger, pollIntervalMs = 5000, batchSize, stuckAfterMs,
}: RedisOutboxRelayOptions): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  const store = redisOutboxStore({ redis, streamKey, leaseKey, blockMs: pollIntervalMs, log });
  return startRelayLoop({ store, openSink, logger, pollIntervalMs, batchSize, stuckAfterMs });
}
