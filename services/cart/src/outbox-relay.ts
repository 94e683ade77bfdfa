import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { OutboxRecord, OutboxSink } from '@shop/platform/outbox';
import { singleFlight } from '@shop/platform/single-flight';
import type { CartStore } from './store/cart-store.ts';

export interface RedisOutboxRelayOptions extends CartStore {
  /** Opened when this relay takes the lease: opening a sink fences the one an earlier holder had. */
  openSink(): Promise<OutboxSink>;
  logger: FastifyBaseLogger;
  /** How long the relay blocks on the stream before it looks again (and renews its lease). */
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface RedisOutboxRelay {
  /** Publishes everything pending now; resolves when the outbox is empty (tests and shutdown use it). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface StreamEntry {
  streamId: string;
  record: OutboxRecord;
}

/**
 * Publishes the outbox stream to Kafka. Cart scripts append an entry (numbered from a counter) in
 * the same atomic step as the change; this relay sends entries in order through the platform's
 * outbox sink (a Kafka transaction that also checkpoints the numbers it carried), then deletes them
 * from the stream. One relay per keyspace publishes, the one holding a lease in Redis; others stand by.
 *
 * Delivery is at least once: should the relay die between the Kafka commit and the delete, the
 * checkpoint usually saves a resend, but a lost lease or a trimmed checkpoint can still repeat an
 * event. That is harmless here: `cart.updated` carries the cart's version and consumers drop what is
 * not newer than what they hold.
 */
export async function startRedisOutboxRelay({
  redis,
  keys,
  scripts,
  openSink,
  logger,
  pollIntervalMs = 5000,
  batchSize = 100,
}: RedisOutboxRelayOptions): Promise<RedisOutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  const holder = randomUUID();
  const leaseMs = Math.max(3 * pollIntervalMs, 10_000);
  // A blocking read ties up its connection: the relay waits for new entries on a connection of its own.
  const waiter = redis.duplicate();
  let sink: OutboxSink | undefined;
  let stopped = false;
  // Published but not yet deleted (Redis failed in between): delete these before reading again.
  let undeleted: string[] = [];

  const readEntries = async (count: number): Promise<StreamEntry[]> => {
    const entries = await redis.xrange(keys.outbox, '-', '+', 'COUNT', count);
    return entries.map(([streamId, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      return { streamId, record: { id: Number(f.seq), topic: f.topic ?? '', key: f.key ?? '', value: f.value ?? '' } };
    });
  };

  const deleteEntries = async (streamIds: string[]) => {
    if (streamIds.length > 0) await redis.xdel(keys.outbox, ...streamIds);
  };

  async function holdLease(): Promise<boolean> {
    const held = (await scripts.lease([keys.relayLease], [holder, leaseMs])) === 1;
    if (held && !sink) {
      sink = await openSink();
      // The last batch Kafka committed may still be in the stream if its holder died before deleting it.
      const published = new Set(await sink.lastPublishedIds());
      const head = published.size > 0 ? await readEntries(published.size) : [];
      const settled = head.filter((e) => published.has(e.record.id)).map((e) => e.streamId);
      await deleteEntries(settled);
      if (settled.length > 0) log.warn({ count: settled.length }, 'deleted outbox entries Kafka already had');
    }
    if (!held && sink) {
      log.info('another relay holds the outbox lease; standing by');
      await closeSink();
    }
    return held;
  }

  async function closeSink() {
    const closing = sink;
    sink = undefined;
    await closing?.close().catch((err) => log.warn({ err }, 'closing the outbox sink failed'));
  }

  async function publishPending(): Promise<void> {
    if (!(await holdLease()) || !sink) return;
    await deleteEntries(undeleted);
    undeleted = [];
    for (;;) {
      const entries = await readEntries(batchSize);
      if (entries.length === 0 || stopped) return;
      await sink.publishBatch(entries.map((e) => e.record));
      undeleted = entries.map((e) => e.streamId);
      await deleteEntries(undeleted);
      undeleted = [];
      log.debug({ count: entries.length }, 'published outbox events');
    }
  }

  const relay = singleFlight(async () => {
    try {
      await publishPending();
    } catch (err) {
      log.error({ err }, 'publishing outbox events failed; will retry');
      // A sink whose transaction failed may be fenced or broken: the next run opens a fresh one.
      await closeSink();
    }
  }, () => !stopped);
  const kick = relay.wake;

  // Wakes on every append to the stream, by any instance, and at least once per poll interval.
  const watching = (async () => {
    let lastSeen = '0-0';
    while (!stopped) {
      void kick();
      try {
        const reply = await waiter.xread('COUNT', batchSize, 'BLOCK', pollIntervalMs, 'STREAMS', keys.outbox, lastSeen);
        const seen = reply?.[0]?.[1].at(-1)?.[0];
        if (seen) lastSeen = seen;
      } catch (err) {
        if (stopped) return;
        log.warn({ err }, 'waiting on the outbox stream failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      }
    }
  })();

  return {
    async drain() {
      await relay.idle();
      await kick();
    },
    async stop() {
      stopped = true;
      waiter.disconnect();
      await watching;
      await relay.idle();
      await scripts.release([keys.relayLease], [holder]).catch(() => undefined);
      await closeSink();
    },
  };
}
