import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerList } from '../src/config.ts';
import { createPool, withTransaction, type Pool } from '../src/db.ts';
import { ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { startConsumer } from '../src/kafka/consumer.ts';
import { createOutboxSink } from '../src/kafka/outbox-sink.ts';
import { createLogger } from '../src/logger.ts';
import { createEvent, enqueue, startOutboxRelay } from '../src/outbox.ts';
import { RELAY_LISTENER_APPLICATION_NAME } from '../src/postgres-outbox-store.ts';
import { createTestDatabase } from '../src/testing/database.ts';

const run = randomBytes(4).toString('hex');
const topic = `test-${run}.events`;
const relayId = `test-relay-${run}`;
const brokers = brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const logger = createLogger('outbox-test', 'silent');
const kafka: KafkaConfig = { brokers, clientId: `outbox-test-${run}`, logger };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('outbox', fixture('migrations'));
  pool = createPool(db.url);
  await ensureTopics(kafka, [topic]);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A business change and its event, committed together as a service would. */
const createWidget = (id: string) =>
  withTransaction(pool, async (client) => {
    await client.query('INSERT INTO widgets (id, colour) VALUES ($1, $2)', [id, 'blue']);
    await enqueue(client, topic, createEvent('test', { type: 'widget.created', subject: id, data: { id } }));
  });

const pendingCount = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);

/** Reads the topic from the start until `expected` events arrived, then a little longer to catch duplicates. */
async function readEventIds(expected: number): Promise<string[]> {
  const ids: string[] = [];
  let reached!: () => void;
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const consumer = await startConsumer(kafka, {
    groupId: `outbox-test-reader-${randomBytes(4).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
    handle: async ({ event }) => {
      ids.push(event.id);
      if (ids.length >= expected) reached();
    },
  });
  await Promise.race([enough, new Promise((r) => setTimeout(r, 30_000))]);
  await new Promise((r) => setTimeout(r, 2000));
  await consumer.stop();
  return ids;
}

describe('outbox relay', () => {
  it('publishes each event exactly once even when the relay is killed between the broker commit and the database update', async () => {
    for (let i = 0; i < 25; i++) await createWidget(`w-${i}`);

    const child = spawn(process.execPath, ['--import', 'tsx', fixture('relay-killed-after-commit.ts')], {
      env: { ...process.env, DATABASE_URL: db.url, KAFKA_BROKERS: brokers.join(','), RELAY_ID: relayId, CHECKPOINT_TOPIC: topic },
      stdio: 'inherit',
    });
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    // The broker has the first batch, but the database never heard back.
    expect(await pendingCount()).toBe(25);

    const relay = await startOutboxRelay({
      pool,
      sink: await createOutboxSink(kafka, { relayId, checkpointTopic: topic }),
      logger,
      batchSize: 10,
    });
    await relay.drain();
    await relay.stop();
    expect(await pendingCount()).toBe(0);

    const ids = await readEventIds(25);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
  });

  it('is woken by the commit itself, not by its slow poll', async () => {
    const relay = await startOutboxRelay({
      pool,
      sink: await createOutboxSink(kafka, { relayId, checkpointTopic: topic }),
      logger,
      pollIntervalMs: 10 * 60_000,
    });
    try {
      await relay.drain();
      await createWidget('w-notified');
      await expect.poll(pendingCount, { timeout: 10_000 }).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('reconnects its LISTEN connection after the database cuts it, and leads again', async () => {
    // Only a notification can publish within the wait: the poll is a minute away.
    const relay = await startOutboxRelay({
      pool,
      sink: await createOutboxSink(kafka, { relayId, checkpointTopic: topic }),
      logger,
      pollIntervalMs: 60_000,
    });
    try {
      await relay.drain();
      const before = await advisoryLockHolders();
      expect(before).toHaveLength(1);
      // The lock is a session lock on the LISTEN connection: cut that connection.
      await pool.query('SELECT pg_terminate_backend($1)', [before[0]]);

      // The lock is held again, by the relay's new listener; nothing runs the relay twice meanwhile.
      // (The cut session may still show as the holder for a moment: wait for a new one.)
      await expect.poll(async () => (await advisoryLockHolders()).filter((pid) => pid !== before[0]), { timeout: 10_000 }).toHaveLength(1);
      const [holder, ...others] = await advisoryLockHolders();
      expect(others).toEqual([]);
      const { rows } = await pool.query('SELECT application_name FROM pg_stat_activity WHERE pid = $1', [holder]);
      expect(rows[0]?.application_name).toBe(RELAY_LISTENER_APPLICATION_NAME);
      await createWidget('w-after-cut');
      await expect.poll(pendingCount, { timeout: 10_000 }).toBe(0);
    } finally {
      await relay.stop();
    }
  });
});

/** Backends of this database that hold the relay's advisory lock. */
const advisoryLockHolders = async () =>
  (await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  )).rows.map((r) => r.pid);
