import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { DbClient, Pool } from './db.ts';
import type { OutboxStore } from './relay-loop.ts';

/**
 * The advisory lock key (a bigint, as a decimal string) the relays named `relayId` contend for: the first
 * 8 bytes of SHA-256 of the id, so relays of different ids that share a database never block each other.
 */
export const relayLockKey = (relayId: string): string =>
  BigInt.asIntN(64, createHash('sha256').update(`outbox-relay:${relayId}`).digest().readBigUInt64BE(0)).toString();
/** Names the LISTEN connection in pg_stat_activity, for operators (and fault tests) to find it. */
export const RELAY_LISTENER_APPLICATION_NAME = 'outbox-relay-listener';
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * The `outbox` table of a service database (see the platform migration), for `startRelayLoop`.
 * Woken by LISTEN/NOTIFY. Leadership is a session-level advisory lock (`pg_try_advisory_lock`, key from
 * `relayLockKey(relayId)`) on the LISTEN connection: one relay per database and relay id publishes, in
 * commit order. A process that dies loses its connection and with it the lock, which another relay then
 * takes on its next try. Should the connection die under a live relay, the store stops leading at once,
 * reconnects with backoff (100 ms doubling to 5 s), listens again and wakes the relay, which then tries
 * for the lock again like any other.
 */
export function postgresOutboxStore(pool: Pool, log: FastifyBaseLogger, relayId = 'outbox'): OutboxStore<number> {
  const lockKey = relayLockKey(relayId);
  let listener: DbClient | undefined;
  let detachListener = () => {};
  let reconnecting: NodeJS.Timeout | undefined;
  let stopped = false;
  let leader = false;
  let wake = () => {};

  async function listen(): Promise<void> {
    const client = await pool.connect();
    const onNotification = () => wake();
    const onLost = (err?: Error) => {
      detach();
      const wasListening = listener === client;
      // The lock went with the session: lead no more until it is claimed again on a new connection.
      if (wasListening) {
        listener = undefined;
        if (leader) log.warn('the outbox relay lock went with its connection; no longer leading');
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
        wake(); // notifications sent while it was away are lost
      } catch (err) {
        log.warn({ err }, 'outbox listener reconnect failed; retrying');
        reconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
      }
    }, delayMs);
  }

  return {
    async watch(onWake) {
      wake = onWake;
      await listen();
      return async () => {
        stopped = true;
        clearTimeout(reconnecting);
      };
    },
    async lead() {
      if (leader) return true;
      const session = listener;
      if (!session) return false;
      const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [lockKey]);
      // A lock taken on a session that died meanwhile went with it.
      leader = rows[0]?.locked === true && listener === session;
      if (leader) log.info({ relayId }, 'took the outbox relay lock: leading');
      return leader;
    },
    leading: () => leader,
    async resign() {
      stopped = true;
      const session = listener;
      listener = undefined;
      if (!session) return;
      detachListener();
      session.on('error', () => undefined); // a failure while letting go changes nothing
      await session.query('UNLISTEN outbox').catch(() => undefined);
      if (leader) await session.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => undefined);
      leader = false;
      session.release();
    },
    async read(limit) {
      const { rows } = await pool.query<{ id: string; topic: string; message_key: string; event: unknown; traceparent: string | null }>(
        'SELECT id, topic, message_key, event, traceparent FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
        [limit],
      );
      return rows.map((r) => {
        const id = Number(r.id);
        const record = { id, topic: r.topic, key: r.message_key, value: JSON.stringify(r.event) };
        return { handle: id, record: r.traceparent ? { ...record, traceparent: r.traceparent } : record };
      });
    },
    async markPublished(records) {
      await markIds(records.map((r) => r.handle));
    },
    settle: (ids) => markIds(ids),
    async backlog() {
      const { rows } = await pool.query<{ backlog: number; oldest_ms: number | null }>(
        `SELECT count(*)::int AS backlog, (extract(epoch FROM now() - min(created_at)) * 1000)::float8 AS oldest_ms
           FROM outbox WHERE published_at IS NULL`,
      );
      return { backlog: rows[0]?.backlog ?? 0, oldestPendingMs: Math.max(0, Math.round(rows[0]?.oldest_ms ?? 0)) };
    },
    watching: () => listener !== undefined,
  };

  async function markIds(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rowCount } = await pool.query(
      'UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[]) AND published_at IS NULL',
      [ids],
    );
    return rowCount ?? 0;
  }
}
