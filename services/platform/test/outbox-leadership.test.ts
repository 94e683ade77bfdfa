import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dlqTopic } from '@shop/contracts/topics';
import { brokerList } from '../src/config.ts';
import { createPool, withTransaction, type Pool } from '../src/db.ts';
import { ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { createOutboxSink } from '../src/kafka/outbox-sink.ts';
import { createLogger } from '../src/logger.ts';
import { createEvent, enqueue, startOutboxRelay, type OutboxRelay } from '../src/outbox.ts';
import { relayLockKey } from '../src/postgres-outbox-store.ts';
import { readTopic } from '../src/testing/read-topic.ts';
import { createTestDatabase } from '../src/testing/database.ts';

// Two instances of one service on one database: one relay leads, and another takes over when it goes.
const run = randomBytes(4).toString('hex');
const topic = `test-lead-${run}.events`;
const relayId = `test-lead-relay-${run}`;
const brokers = brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const logger = createLogger('outbox-leadership-test', (process.env.TEST_LOG as 'info') ?? 'silent');
const kafka: KafkaConfig = { brokers, clientId: `outbox-leadership-test-${run}`, logger };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** The bound: another instance publishes what is pending within 10 s of the leader's death. */
const TAKEOVER_MS = 10_000;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

interface Instance {
  name: string;
  relay: OutboxRelay;
  pool: Pool;
  /** Outbox ids whose Kafka transaction this instance committed. */
  published: number[];
  /** Batches that failed to commit. */
  failed: number;
  /** Holds this instance's next batches before they reach Kafka until the returned function is called. */
  hold(): () => void;
  /** Batches waiting at the hold. */
  waiting: number;
}
let instances: Instance[] = [];
const held: (() => void)[] = [];

beforeAll(async () => {
  db = await createTestDatabase('outbox_lead', fixture('migrations'));
  pool = createPool(db.url);
  await ensureTopics(kafka, [topic]);
  // A fresh broker's transaction coordinator takes a while to come up: not what the bounds below are about.
  // It may also answer "not the correct coordinator" while the group's coordinator moves: retried until it takes one.
  for (let attempt = 1; ; attempt++) {
    const warm = await createOutboxSink(kafka, { relayId: `${relayId}-warm-up`, checkpointTopic: topic });
    try {
      await warm.publishBatch([{ id: 0, topic: dlqTopic(topic), key: 'warm-up', value: '{}' }]);
      break;
    } catch (err) {
      if (attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await warm.close().catch(() => undefined);
    }
  }
});
afterEach(async () => {
  for (const release of held.splice(0)) release(); // a failed test may leave a batch held: stop() waits for it
  const stopping = instances;
  instances = [];
  await Promise.all(stopping.map(async (i) => { await i.relay.stop(); await i.pool.end(); }));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** One service instance's relay, with a pool of its own as a process would have; its poll is far off. */
async function startInstance(name: string): Promise<Instance> {
  const own = createPool(db.url);
  const published: number[] = [];
  let gate = Promise.resolve();
  let failed = 0;
  let waiting = 0;
  const relay = await startOutboxRelay({
    pool: own,
    relayId,
    openSink: async () => {
      const sink = await createOutboxSink(kafka, { relayId, checkpointTopic: topic });
      return {
        ...sink,
        async publishBatch(records) {
          waiting++;
          await gate.finally(() => waiting--);
          await sink.publishBatch(records).catch((err: unknown) => { failed++; throw err; });
          published.push(...records.map((r) => r.id));
        },
      };
    },
    logger,
    // Only the followers' lead retries (1 s) can explain a takeover within the bound: the poll is a minute away.
    pollIntervalMs: 60_000,
  });
  const instance: Instance = {
    name, relay, pool: own, published,
    get failed() { return failed; },
    get waiting() { return waiting; },
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      held.push(release);
      return release;
    },
  };
  instances.push(instance);
  return instance;
}

const createWidgets = async (prefix: string, count: number) => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await withTransaction(pool, async (client) => {
      await client.query('INSERT INTO widgets (id, colour) VALUES ($1, $2)', [`${prefix}-${i}`, 'green']);
      const event = createEvent('test', { type: 'widget.created', subject: `${prefix}-${i}`, data: { i } });
      await enqueue(client, topic, event);
      ids.push(event.id);
    });
  }
  return ids;
};

const pendingCount = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);
const outboxIds = async (): Promise<number[]> =>
  (await pool.query<{ id: string }>('SELECT id FROM outbox ORDER BY id')).rows.map((r) => Number(r.id));
const roles = async () => Promise.all(instances.map(async (i) => (await i.relay.health()).role));
/** The backend that holds this relay id's advisory lock (a bigint key shows as classid:objid, objsubid 1). */
const lockHolder = async (): Promise<number | undefined> => {
  const key = BigInt.asUintN(64, BigInt(relayLockKey(relayId)));
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = $1 AND objid = $2`,
    [String(key >> 32n), String(key & 0xffffffffn)],
  );
  return rows[0]?.pid;
};

describe('outbox relay leadership', () => {
  it('with two relays on one database, one leads and only it publishes', async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    await expect.poll(roles, { timeout: TAKEOVER_MS }).toEqual(expect.arrayContaining(['leader', 'follower']));
    await createWidgets('one', 20);
    await expect.poll(pendingCount, { timeout: TAKEOVER_MS }).toBe(0);

    const leader = (await a.relay.health()).role === 'leader' ? a : b;
    const follower = leader === a ? b : a;
    expect(leader.published).toEqual(await outboxIds());
    expect(follower.published).toEqual([]);
    expect(await lockHolder()).toBeDefined();
  });

  it('when the leader\'s database connection is cut mid-publish, a follower publishes the pending rows within 10 s and the old leader\'s batch is fenced', async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    await expect.poll(roles, { timeout: TAKEOVER_MS }).toEqual(expect.arrayContaining(['leader', 'follower']));
    const leader = (await a.relay.health()).role === 'leader' ? a : b;
    const follower = leader === a ? b : a;
    const published = await outboxIds(); // the first test's rows

    // The leader has read the new rows and is on its way to Kafka with them when its lock connection is cut.
    const release = leader.hold();
    const events = await createWidgets('cut', 10);
    await expect.poll(() => leader.waiting).toBe(1);
    const holder = await lockHolder();
    expect(holder).toBeDefined();
    await pool.query('SELECT pg_terminate_backend($1)', [holder]);

    // No write wakes anyone now: the follower's lead retry finds the lock free; opening its producer fences the old one.
    await expect.poll(pendingCount, { timeout: TAKEOVER_MS }).toBe(0);
    const fresh = (await outboxIds()).filter((id) => !published.includes(id));
    expect(follower.published).toEqual(fresh);
    // The old leader goes on with the batch it held: Kafka refuses it, and it follows from then on.
    release();
    await expect.poll(() => leader.failed, { timeout: TAKEOVER_MS }).toBe(1);
    expect(leader.published).toEqual([]);
    await expect.poll(roles, { timeout: TAKEOVER_MS }).toEqual(expect.arrayContaining(['leader', 'follower']));
    expect((await follower.relay.health()).role).toBe('leader');
    // On the topic: every event of the file so far, once (a repeat would end the read before some arrived).
    const received = await readTopic(kafka, topic, (await outboxIds()).length);
    const ids = received.map((m) => JSON.parse(m.value!).id as string).filter((id) => events.includes(id));
    expect(ids.sort()).toEqual([...events].sort());
  });

  it('when the leader stops, a follower takes over and publishes what is pending within 10 s', async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    await expect.poll(roles, { timeout: TAKEOVER_MS }).toEqual(expect.arrayContaining(['leader', 'follower']));
    const leader = (await a.relay.health()).role === 'leader' ? a : b;
    const follower = leader === a ? b : a;

    await leader.relay.stop();
    instances = instances.filter((i) => i !== leader);
    await leader.pool.end();
    const before = await outboxIds();
    await createWidgets('stopped', 5);
    await expect.poll(pendingCount, { timeout: TAKEOVER_MS }).toBe(0);
    expect(follower.published).toEqual((await outboxIds()).filter((id) => !before.includes(id)));
    expect((await follower.relay.health()).role).toBe('leader');
  });
});
