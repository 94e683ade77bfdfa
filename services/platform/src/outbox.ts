import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { FastifyBaseLogger } from 'fastify';
import type { DbClient, Pool } from './db.ts';
import type { LoopReport } from './health.ts';
import { currentContract } from './event-versions.ts';
import { traceparentOf } from './tracing.ts';
import { postgresOutboxStore } from './postgres-outbox-store.ts';
import { startRelayLoop } from './relay-loop.ts';

export interface NewEvent<D> {
  type: string;
  /** The aggregate id; also the Kafka message key, so one aggregate's events stay in order. */
  subject: string;
  data: D;
  /** The data schema version's URI; by default the current version of `type` in the contracts registry. */
  dataschema?: string;
  /** The W3C traceparent the event continues; by default the active span's (the request or message at hand). */
  traceparent?: string;
}

/**
 * The CloudEvents 1.0 envelope (structured JSON) of a new event (uuid `id`, `time` now). Its `dataschema`
 * names the version of the data's schema: the one given, else the current version of `type` in the contracts
 * registry (none for a type not in it); its `traceparent` extension (CloudEvents distributed tracing) is the
 * active span's unless given.
 */
export function createEvent<D>(source: string, { type, subject, data, dataschema, traceparent = traceparentOf() }: NewEvent<D>): CloudEvent<D> {
  const schema = dataschema ?? currentContract(type)?.dataschema;
  return {
    specversion: '1.0',
    id: randomUUID(),
    source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    ...(schema ? { dataschema: schema } : {}),
    ...(traceparent ? { traceparent } : {}),
    data,
  };
}

/**
 * Writes an event to the outbox inside the caller's transaction: it is published if and only if the
 * change commits. The envelope's `traceparent` goes in a column of its own, which the relay publishes under.
 */
export async function enqueue(client: DbClient, topic: string, event: CloudEvent): Promise<void> {
  await client.query(
    'INSERT INTO outbox (topic, message_key, event, traceparent) VALUES ($1, $2, $3, $4)',
    [topic, event.subject, event, event.traceparent ?? null],
  );
}

export interface OutboxRecord {
  id: number;
  topic: string;
  key: string;
  value: string;
  /** The W3C traceparent of the writer (the outbox row's column); the sink publishes in its trace. */
  traceparent?: string;
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
  /**
   * Names the relay (its Kafka transactions, checkpoint and database lock): relays of one id on one database
   * elect one leader. Default `outbox`.
   */
  relayId?: string;
  /**
   * Opens the sink each time this relay takes the lead (and closes it when it stops leading), which fences an
   * earlier leader's: what services with several instances use. Give this or `sink`.
   */
  openSink?: () => Promise<OutboxSink>;
  /** A sink opened once and kept for the relay's life: enough for a single instance (and tests of one). */
  sink?: OutboxSink;
  logger: FastifyBaseLogger;
  /** The slow fallback poll, for a missed notification or a broker that was down. */
  pollIntervalMs?: number;
  /** How often (ms) a follower tries for the lead (default 1 s). */
  leadRetryMs?: number;
  batchSize?: number;
  /** Age (ms) of the oldest unpublished event past which a relay that keeps failing is `stuck` (default 60 s). */
  stuckAfterMs?: number;
}

export interface OutboxRelay {
  /** Publishes everything pending now; resolves when the outbox is empty (tests and shutdown use it). */
  drain(): Promise<void>;
  /**
   * Role (`leader`/`follower`), `backlog` (pending events), `oldestPendingMs`, `listening`, `lastError`.
   * `degraded` while failing, within a minute of a failure or without its wake-ups; `stuck` when the
   * oldest pending event is older than `stuckAfterMs` and the failures are not outages it can wait out.
   */
  health(): Promise<LoopReport>;
  stop(): Promise<void>;
}

/**
 * Publishes the service database's outbox table through the sink (see `startRelayLoop`), woken by
 * LISTEN/NOTIFY and a slow poll; one relay per database and `relayId` leads (see `postgresOutboxStore`).
 * Rejects if the first database connection fails, or if neither `openSink` nor `sink` is given. `stop`
 * closes the sink.
 */
export async function startOutboxRelay({
  pool, relayId, openSink, sink, logger, pollIntervalMs, leadRetryMs, batchSize, stuckAfterMs,
}: RelayOptions): Promise<OutboxRelay> {
  const store = postgresOutboxStore(pool, logger.child({ component: 'outbox-relay' }), relayId);
  const common = { store, logger, pollIntervalMs, leadRetryMs, batchSize, stuckAfterMs };
  if (openSink) return startRelayLoop({ ...common, openSink });
  if (!sink) throw new Error('startOutboxRelay needs openSink or sink');
  // The caller opened the sink, so it stays open while following and closes with the relay.
  const kept: OutboxSink = { ...sink, close: async () => undefined };
  const loop = await startRelayLoop({ ...common, openSink: async () => kept, closeSinkOnStandby: false });
  return {
    ...loop,
    async stop() {
      await loop.stop();
      await sink.close();
    },
  };
}
