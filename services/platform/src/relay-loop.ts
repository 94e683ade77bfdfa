import type { FastifyBaseLogger } from 'fastify';
import type { LoopReport } from './health.ts';
import { outboxPublished } from './metrics.ts';
import type { OutboxRecord, OutboxRelay, OutboxSink } from './outbox.ts';
import { singleFlight } from './single-flight.ts';
import { isUnavailable } from './unavailable.ts';

/** A pending event as a store holds it: the record to publish and the store's own handle on it. */
export interface StoredRecord<H = unknown> {
  record: OutboxRecord;
  handle: H;
}

/**
 * Where an outbox lives (a PostgreSQL table, a Redis stream) and how relays over it agree on one
 * leader. The relay loop does the rest: wake-ups, publishing, retries, health, draining.
 */
export interface OutboxStore<H = unknown> {
  /** Calls `wake` whenever events may have arrived; resolves once watching. Returns a stop function. */
  watch(wake: () => void): Promise<() => Promise<void>>;
  /** Takes or renews leadership; false while another relay leads. */
  lead(): Promise<boolean>;
  /** Whether leadership still holds right now (it can be lost between runs, e.g. with a connection or a lease). */
  leading(): boolean;
  /** Gives leadership up (on stop). */
  resign(): Promise<void>;
  /** The oldest pending events, in publishing order, at most `limit`. */
  read(limit: number): Promise<StoredRecord<H>[]>;
  /** Marks (or deletes) events the broker has; they are not read again. */
  markPublished(records: StoredRecord<H>[]): Promise<void>;
  /** Marks the pending events among `ids` (the broker's checkpoint) published; returns how many. */
  settle(ids: number[]): Promise<number>;
  /** Pending events and the age (ms) of the oldest. */
  backlog(): Promise<{ backlog: number; oldestPendingMs: number }>;
  /** Whether wake-ups are arriving (the LISTEN connection or the blocking read is up). */
  watching(): boolean;
}

export interface RelayLoopOptions<H> {
  store: OutboxStore<H>;
  /**
   * Opened on taking the lead, before anything is settled or read: opening a transactional sink fences the
   * one an earlier leader had, so a leader that lost the lead without knowing it can commit nothing more.
   */
  openSink(): Promise<OutboxSink>;
  /** Close the sink when another relay leads (default), or keep it for when this one leads again. */
  closeSinkOnStandby?: boolean;
  logger: FastifyBaseLogger;
  /** The slow fallback poll (ms), for a missed wake-up or a broker that was down. */
  pollIntervalMs?: number;
  /** How often (ms) a follower tries for the lead (default 1 s): the takeover after a leader dies takes about that. */
  leadRetryMs?: number;
  batchSize?: number;
  /** Age (ms) of the oldest pending event past which a relay that keeps failing is `stuck` (default 60 s). */
  stuckAfterMs?: number;
}

/** A failure of the relay's last runs. */
export interface RelayFailure {
  message: string;
  /** When it last happened (epoch ms). */
  at: number;
  /** An outage (connection refused, reset, timeout) that retrying outlasts; otherwise a restart may help. */
  outage: boolean;
}

/** The state a relay's details add up to (see `OutboxRelay.health`). */
export function relayState(
  { failingSince, lastError, listening, oldestPendingMs }: { failingSince?: number; lastError?: RelayFailure; listening: boolean; oldestPendingMs: number },
  stuckAfterMs: number,
): LoopReport['state'] {
  if (failingSince !== undefined && lastError && !lastError.outage && oldestPendingMs > stuckAfterMs) return 'stuck';
  // A relay that has published since its last failure is ok again (its report still names that failure):
  // a transient error, such as a fresh broker's coordinator still loading, is not a standing problem.
  if (failingSince !== undefined || !listening) return 'degraded';
  return 'ok';
}

/**
 * The one outbox relay loop, over any store: publishes pending events in order through the sink
 * (a Kafka transaction that also checkpoints their ids), then marks them. Only the leader publishes;
 * followers try for the lead every `leadRetryMs`. On taking the lead a relay opens its sink (fencing
 * the previous leader's) and first settles what the broker's checkpoint says an earlier leader sent;
 * having lost the lead, even for a moment, it closes its sink and settles again when it leads again.
 * Wake-ups run one at a time (a burst of them makes one more run); a failed run is retried on the
 * next wake-up or poll. Delivery is at least once; consumers are idempotent.
 */
export async function startRelayLoop<H>({
  store,
  openSink,
  closeSinkOnStandby = true,
  logger,
  pollIntervalMs = 5000,
  leadRetryMs = 1000,
  batchSize = 100,
  stuckAfterMs = 60_000,
}: RelayLoopOptions<H>): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  let stopped = false;
  let sink: OutboxSink | undefined;
  let settled = false;
  // Published but not yet marked (the store failed in between): mark these before reading again.
  let unmarked: StoredRecord<H>[] = [];
  let lastError: RelayFailure | undefined;
  let failingSince: number | undefined;

  /** Forgets what it knew as a leader: another relay may have published (and fenced this sink) since. */
  async function follow() {
    unmarked = [];
    if (sink && closeSinkOnStandby) log.info('not leading; following');
    await startOver();
  }

  /**
   * Drops the sink (when it is the loop's to open) and settles again before the next batch: after a failed
   * run the broker may have committed the last batch all the same (a commit whose answer was lost), and
   * only a producer opened afresh, which settles the old one's transaction, makes the checkpoint final.
   */
  async function startOver() {
    settled = false;
    if (!sink || !closeSinkOnStandby) return;
    const closing = sink;
    sink = undefined;
    await closing.close().catch((err) => log.warn({ err }, 'closing the outbox sink failed'));
  }

  async function publishPending(): Promise<void> {
    if (!store.leading()) await follow();
    if (!(await store.lead())) return;
    sink ??= await openSink();
    if (!settled) {
      const count = await store.settle(await sink.lastPublishedIds());
      if (count > 0) log.warn({ count }, 'marked events the broker already had as published');
      settled = true;
    }
    if (unmarked.length > 0) await store.markPublished(unmarked);
    unmarked = [];
    // Leadership can go at any moment (a lost connection): then another relay may lead.
    while (store.leading() && !stopped) {
      const records = await store.read(batchSize);
      if (records.length === 0) return;
      await sink.publishBatch(records.map((r) => r.record));
      for (const { record } of records) outboxPublished.inc({ topic: record.topic });
      unmarked = records;
      await store.markPublished(records);
      unmarked = [];
      log.debug({ count: records.length }, 'published outbox events');
    }
  }

  const relay = singleFlight(async () => {
    try {
      await publishPending();
      failingSince = undefined;
    } catch (err) {
      log.error({ err }, 'publishing outbox events failed; will retry');
      lastError = { message: (err as Error).message, at: Date.now(), outage: isUnavailable(err) };
      failingSince ??= lastError.at;
      await startOver();
    }
  }, () => !stopped);
  const kick = relay.wake;

  const stopWatching = await store.watch(() => void kick());
  const poll = setInterval(() => void kick(), pollIntervalMs);
  // Followers only: a leader is woken by writes and the poll.
  const retryLead = setInterval(() => { if (!store.leading()) void kick(); }, leadRetryMs);
  void kick();

  return {
    async drain() {
      await relay.idle();
      await kick();
    },
    async health() {
      const { backlog, oldestPendingMs } = await store.backlog();
      const listening = store.watching();
      return {
        state: relayState({ failingSince, lastError, listening, oldestPendingMs }, stuckAfterMs),
        role: store.leading() ? 'leader' : 'follower',
        backlog,
        oldestPendingMs,
        listening,
        ...(lastError ? { lastError: lastError.message, lastErrorAt: new Date(lastError.at).toISOString() } : {}),
      };
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(retryLead);
      await stopWatching();
      await relay.idle();
      await store.resign().catch((err) => log.warn({ err }, 'giving up the outbox lead failed'));
      await sink?.close();
      sink = undefined;
    },
  };
}
