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
/** Atomically: extends the lease if this holder still has it (never takes a free one). → 1 if held. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
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
  /** Holds the relays' lease: the relay that holds it publishes, others follow. */
  leaseKey: string;
  /** How long a blocking read waits (ms) before it looks again. */
  blockMs: number;
  /**
   * How long (ms) the lease lasts unless renewed (default 6 s); the holder renews it every third of that.
   * A dead holder's lease runs out within this, so another relay takes over within it and a retry.
   */
  leaseMs?: number;
  log: FastifyBaseLogger;
}

/** Time (ms) the holder stops counting on its lease before Redis lets it go: clocks and replies are not instant. */
const LEASE_MARGIN_MS = 500;

/**
 * A Redis stream as an outbox, for `startRelayLoop`: entries are deleted once published. Woken by a
 * blocking read on a connection of its own. Leadership is a lease (a key set if absent with a TTL, by
 * a random holder id) renewed in the background every `leaseMs / 3`; the holder leads only while its last
 * renewal is younger than the lease, so a stalled process stops on its own clock, and the Kafka
 * transactional id fences it should it still try after another relay took over.
 */
export function redisOutboxStore({ redis, streamKey, leaseKey, blockMs, leaseMs = 6_000, log }: RedisOutboxStoreOptions): OutboxStore<string> {
  const holder = randomUUID();
  const eval1 = (lua: string, ...args: (string | number)[]) => redis.eval(lua, 1, leaseKey, ...args);
  // Leading until then (epoch ms): when the last renewal was asked for, plus the lease, less a margin.
  let validUntil = 0;
  let renewing: NodeJS.Timeout | undefined;
  let wakeRelay = () => {};
  let stopped = false;
  const leading = () => Date.now() < validUntil;

  /** Takes the lease (`LEASE`) or only extends it (`RENEW`); true when held. */
  async function claim(script: string): Promise<boolean> {
    const asked = Date.now();
    const held = (await eval1(script, holder, leaseMs)) === 1 && !stopped;
    validUntil = held ? asked + leaseMs - LEASE_MARGIN_MS : 0;
    return held;
  }
  function stopRenewing() {
    clearInterval(renewing);
    renewing = undefined;
  }
  function renew() {
    claim(RENEW).then((held) => {
      if (held || stopped) return;
      stopRenewing();
      log.warn('lost the outbox relay lease; following');
      wakeRelay();
    }, (err: unknown) => log.warn({ err }, 'renewing the outbox relay lease failed; it runs out unless a retry succeeds'));
  }
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
      wakeRelay = wake;
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
      if (leading()) return true;
      stopRenewing();
      if (!(await claim(LEASE))) return false;
      log.info('took the outbox relay lease: leading');
      renewing = setInterval(renew, Math.max(1, Math.floor(leaseMs / 3)));
      return true;
    },
    leading,
    async resign() {
      stopped = true;
      stopRenewing();
      validUntil = 0;
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
  /** How long the relay blocks on the stream (ms) before it looks again. */
  pollIntervalMs?: number;
  /** See `RedisOutboxStoreOptions.leaseMs` (default 6 s). */
  leaseMs?: number;
  /** How often (ms) a follower tries for the lease (default 1 s). */
  leadRetryMs?: number;
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
  redis, streamKey, leaseKey, openSink, logger, pollIntervalMs = 5000, leaseMs, leadRetryMs, batchSize, stuckAfterMs,
}: RedisOutboxRelayOptions): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  const store = redisOutboxStore({ redis, streamKey, leaseKey, blockMs: pollIntervalMs, leaseMs, log });
  return startRelayLoop({ store, openSink, logger, pollIntervalMs, leadRetryMs, batchSize, stuckAfterMs });
}
