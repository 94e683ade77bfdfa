import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { FastifyBaseLogger } from 'fastify';
import type { DbClient, Pool } from './db.ts';
import type { LoopReport } from './health.ts';
import { isUnavailable } from './unavailable.ts';
import { singleFlight } from './single-flight.ts';

export interface NewEvent<D> {
  type: string;
  /** The aggregate id; also the Kafka message key, so one aggregate's events stay in order. */
  subject: string;
  data: D;
  traceparent?: string;
}

export function createEvent<D>(source: string, { type, subject, data, traceparent }: NewEvent<D>): CloudEvent<D> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    ...(traceparent ? { traceparent } : {}),
    data,
  };
}

/** Writes an event to the outbox inside the caller's transaction: it is published if and only if the change commits. */
export async function enqueue(client: DbClient, topic: string, event: CloudEvent): Promise<void> {
  await client.query('INSERT INTO outbox (topic, message_key, event) VALUES ($1, $2, $3)', [topic, event.subject, event]);
}

export interface OutboxRecord {
  id: number;
  topic: string;
  key: string;
  value: string;
}

/** Where the relay publishes: a broker that commits a batch and the ids it carries as one unit. */
export interface OutboxSink {
  publishBatch(records: OutboxRecord[]): Promise<void>;
  /** Ids of the last batch the broker committed, so a relay that died before marking them does not send them twice. */
  lastPublishedIds(): Promise<number[]>;
  close(): Promise<void>;
}

export interface RelayOptions {
  pool: Pool;
  sink: OutboxSink;
  logger: FastifyBaseLogger;
  /** The slow fallback poll, for a missed notification or a broker that was down. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Age (ms) of the oldest unpublished event past which a relay that keeps failing is `stuck` (default 60 s). */
  stuckAfterMs?: number;
}

export interface OutboxRelay {
  /** Publishes everything pending now; resolves when the outbox is empty (tests and shutdown use it). */
  drain(): Promise<void>;
  /**
   * Role (`leader`/`standby`), `backlog` (pending events), `oldestPendingMs`, `listening`, `lastError`.
   * `degraded` while failing, within a minute of a failure or without its listener; `stuck` when the
   * oldest pending event is older than `stuckAfterMs` and the failures are not outages it can wait out.
   */
  health(): Promise<LoopReport>;
  stop(): Promise<void>;
}

/** A failure a relay cannot wait out: a wedged client or a broker refusing it, not a store that is down. */
export interface RelayFailure {
  message: string;
  /** When it last happened (epoch ms). */
  at: number;
  /** An outage (connection refused, reset, timeout) that retrying outlasts. */
  outage: boolean;
}

const RECENT_FAILURE_MS = 60_000;

/** The state a relay's details add up to; shared by the relays over each kind of outbox store. */
export function relayState(
  { failingSince, lastError, listening, oldestPendingMs }: { failingSince?: number; lastError?: RelayFailure; listening: boolean; oldestPendingMs: number },
  stuckAfterMs: number,
  now = Date.now(),
): LoopReport['state'] {
  if (failingSince !== undefined && lastError && !lastError.outage && oldestPendingMs > stuckAfterMs) return 'stuck';
  if (failingSince !== undefined || !listening || (lastError && now - lastError.at < RECENT_FAILURE_MS)) return 'degraded';
  return 'ok';
}

// One active relay per database keeps publishing in commit order; others stand by.
const RELAY_LOCK_KEY = 0x6f7574626f78; // "outbox"
/** Names the LISTEN connection in pg_stat_activity, for operators (and fault tests) to find it. */
export const RELAY_LISTENER_APPLICATION_NAME = 'outbox-relay-listener';
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * Publishes outbox rows to the broker. Woken by LISTEN/NOTIFY when a transaction writes events,
 * and by a slow poll in case a notification was missed. Leadership is a session advisory lock on the
 * LISTEN connection: should that connection die, the relay stops leading at once, reconnects with
 * backoff, listens again and then tries to lead again. Rejects if the first connection fails.
 */
export async function startOutboxRelay({
  pool,
  sink,
  logger,
  pollIntervalMs = 5000,
  batchSize = 100,
  stuckAfterMs = 60_000,
}: RelayOptions): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  let listener: DbClient | undefined;
  let detachListener = () => {};
  let reconnecting: NodeJS.Timeout | undefined;
  let stopped = false;
  let leader = false;
  // Published but not yet marked (the database update failed): mark these before selecting again.
  let unmarked: number[] = [];
  let lastError: RelayFailure | undefined;
  let failingSince: number | undefined;

  async function listen(): Promise<void> {
    const client = await pool.connect();
    const onNotification = () => void kick();
    const onLost = (err?: Error) => {
      detach();
      const wasListening = listener === client;
      // The lock went with the session: lead no more until it is claimed again on a new connection.
      if (wasListening) {
        listener = undefined;
        leader = false;
      }
      client.release(err ?? true);
      if (stopped || !wasListening) return;
      log.error({ err }, 'outbox listener connection lost; reconnecting');
      reconnect(RECONNECT_MIN_MS);
    };
    const onEnd = () => onLost();
    function detach() {
      client.off('error', onLost).off('end', onEnd).off('notification', onNotification);
    }
    client.on('error', onLost).on('end', onEnd).on('notification', onNotification);
    try {
      await client.query(`SET application_name = '${RELAY_LISTENER_APPLICATION_NAME}'`);
      await client.query('LISTEN outbox');
    } catch (err) {
      onLost(err as Error);
      throw err;
    }
    listener = client;
    detachListener = detach;
  }

  function reconnect(delayMs: number) {
    if (stopped || reconnecting) return;
    reconnecting = setTimeout(async () => {
      reconnecting = undefined;
      try {
        await listen();
        log.info('outbox listener reconnected');
        void kick(); // notifications sent while it was away are lost
      } catch (err) {
        log.warn({ err }, 'outbox listener reconnect failed; retrying');
        reconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
      }
    }, delayMs);
  }

  await listen();

  async function becomeLeader(): Promise<boolean> {
    if (leader) return true;
    const session = listener;
    if (!session) return false;
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
    if (!rows[0]?.locked || listener !== session) return false;
    leader = true;
    const settled = await markPublished(await sink.lastPublishedIds());
    if (settled) log.warn({ count: settled }, 'marked events the broker already had as published');
    return true;
  }

  async function markPublished(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rowCount } = await pool.query(
      'UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[]) AND published_at IS NULL',
      [ids],
    );
    return rowCount ?? 0;
  }

  async function publishPending(): Promise<void> {
    if (!(await becomeLeader())) return;
    await markPublished(unmarked);
    unmarked = [];
    // `leader` drops the moment the lock's connection is lost: then another relay may lead.
    while (leader && !stopped) {
      const { rows } = await pool.query<{ id: string; topic: string; message_key: string; event: unknown }>(
        'SELECT id, topic, message_key, event FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
        [batchSize],
      );
      if (rows.length === 0) return;
      const records = rows.map((r) => ({ id: Number(r.id), topic: r.topic, key: r.message_key, value: JSON.stringify(r.event) }));
      await sink.publishBatch(records);
      unmarked = records.map((r) => r.id);
      await markPublished(unmarked);
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
    }
  }, () => !stopped);
  const kick = relay.wake;

  const poll = setInterval(() => void kick(), pollIntervalMs);
  void kick();

  return {
    async drain() {
      await relay.idle();
      await kick();
    },
    async health() {
      const { rows } = await pool.query<{ backlog: number; oldest_ms: number | null }>(
        `SELECT count(*)::int AS backlog, (extract(epoch FROM now() - min(created_at)) * 1000)::float8 AS oldest_ms
           FROM outbox WHERE published_at IS NULL`,
      );
      const backlog = rows[0]?.backlog ?? 0;
      const oldestPendingMs = Math.max(0, Math.round(rows[0]?.oldest_ms ?? 0));
      const listening = listener !== undefined;
      return {
        state: relayState({ failingSince, lastError, listening, oldestPendingMs }, stuckAfterMs),
        role: leader ? 'leader' : 'standby',
        backlog,
        oldestPendingMs,
        listening,
        ...(lastError ? { lastError: lastError.message, lastErrorAt: new Date(lastError.at).toISOString() } : {}),
      };
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnecting);
      await relay.idle();
      const session = listener;
      listener = undefined;
      if (session) {
        detachListener();
        session.on('error', () => undefined); // a failure while letting go changes nothing
        await session.query('UNLISTEN outbox').catch(() => undefined);
        if (leader) await session.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]).catch(() => undefined);
        session.release();
      }
      leader = false;
      await sink.close();
    },
  };
}
