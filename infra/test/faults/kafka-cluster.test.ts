import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyOnce } from '@shop/platform/consume';
import { createPool, withTransaction, type Pool } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { client, type KafkaConfig } from '@shop/platform/kafka/client';
import { startConsumer, type Consumer } from '@shop/platform/kafka/consumer';
import { createOutboxSink } from '@shop/platform/kafka/outbox-sink';
import { createLogger } from '@shop/platform/logger';
import { createEvent, enqueue, startOutboxRelay, type OutboxRelay } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { readTopic } from '@shop/platform/testing/read-topic';
import { startCluster, type KafkaCluster } from '../../src/kafka/cluster.ts';
import { CACHE_DIR } from '../../src/kafka/jars.ts';

// A three-node cluster of the test's own (brokers 19292/19294/19296, controllers the port after each):
// killing its nodes disturbs no one else.
const FIRST_PORT = 19292;
const run = randomBytes(4).toString('hex');
const topic = `cluster-fault-${run}.events`;
const relayId = `cluster-fault-${run}`;
const logger = createLogger('kafka-cluster-fault', 'silent');
const migrations = fileURLToPath(new URL('../../../services/platform/test/fixtures/migrations', import.meta.url));
/** Widgets the consumer applied its event to: once makes `grey+`; twice would make `grey++`. */
const APPLIED = 'grey+';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: KafkaCluster;
let kafka: KafkaConfig;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let relay: OutboxRelay | undefined;
let consumer: Consumer | undefined;

beforeAll(async () => {
  const dataDir = join(CACHE_DIR, `fault-cluster-${FIRST_PORT}`);
  await rm(dataDir, { recursive: true, force: true });
  [cluster, db] = await Promise.all([
    startCluster({ count: 3, firstPort: FIRST_PORT, dataDir, log: () => undefined }),
    createTestDatabase('kafka_cluster', migrations),
  ]);
  kafka = { brokers: cluster.brokers, clientId: `kafka-cluster-fault-${run}`, logger };
  pool = createPool(db.url);
  await ensureTopics(kafka, [topic]);
});
afterAll(async () => {
  await consumer?.stop();
  await relay?.stop();
  await pool?.end();
  await db?.drop();
  await cluster?.stop();
});

const pendingCount = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);

it('gives topics three replicas with min.insync.replicas=2, and loses no event nor applies one twice when the leading broker is SIGKILLed mid-stream', async () => {
  const admin = client(kafka).admin();
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
  expect(metadata.topics[0]!.partitions.every((p) => p.replicas.length === 3)).toBe(true);
  expect(configs.resources[0]!.configEntries.find((c) => c.configName === 'min.insync.replicas')?.configValue).toBe('2');

  relay = await startOutboxRelay({
    pool, relayId, openSink: () => createOutboxSink(kafka, { relayId, checkpointTopic: topic }), logger, pollIntervalMs: 500,
  });
  // A consumer as the services have: delivery is at least once, and it applies each event id once (applyOnce).
  consumer = await startConsumer(kafka, {
    groupId: `cluster-fault-reader-${run}`,
    topics: [topic],
    fromBeginning: true,
    handle: async ({ event }) => {
      await applyOnce(pool, 'cluster-fault', event.id, async (c) => {
        await c.query(`UPDATE widgets SET colour = colour || '+' WHERE id = $1`, [event.subject]);
      });
    },
  });

  // A stream of events through the outbox, one every 50 ms, as a service writes them.
  const written: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      await withTransaction(pool, async (c) => {
        await c.query('INSERT INTO widgets (id, colour) VALUES ($1, $2)', [`w-${i}`, 'grey']);
        const event = createEvent('test', { type: 'widget.created', subject: `w-${i}`, data: { i } });
        await enqueue(c, topic, event);
        written.push(event.id);
      });
      await sleep(50);
    }
  })();

  await sleep(3_000);
  // The broker leading most of the written partitions.
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const led = new Map<number, number>();
  for (const p of topics[0]!.partitions) led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
  const leaderId = [...led].sort((a, b) => b[1] - a[1])[0]![0];
  await admin.disconnect();
  const victim = cluster.nodes.find((n) => n.id === leaderId)!;
  const before = written.length;
  await victim.kill('SIGKILL');
  await sleep(8_000);
  const duringOutage = written.length - before;
  await victim.restart();
  await sleep(3_000);
  writing = false;
  await writer;

  expect(duringOutage).toBeGreaterThan(0);
  // Nothing stays pending, and the topic holds every event (at least once: a batch whose commit answer was lost
  // may be sent again).
  await expect.poll(pendingCount, { timeout: 120_000, interval: 1_000 }).toBe(0);
  const onTopic = new Map<string, number>();
  await readTopic(kafka, topic, (m) => {
    const id: string = JSON.parse(m.value!).id;
    onTopic.set(id, (onTopic.get(id) ?? 0) + 1);
    return written.every((w) => onTopic.has(w));
  }, 120_000);
  const twice = [...onTopic.values()].filter((n) => n > 1).length;
  console.info(`kafka-cluster fault: ${written.length} events written, ${duringOutage} during the outage; ${twice} on the topic more than once (committed again after a lost commit answer), applied once each`);
  // The consumer applied every event, and none twice: the read model equals its source.
  const widgets = async () =>
    (await pool.query<{ colour: string; n: number }>('SELECT colour, count(*)::int AS n FROM widgets GROUP BY colour')).rows;
  await expect.poll(widgets, { timeout: 120_000, interval: 1_000 }).toEqual([{ colour: APPLIED, n: written.length }]);
});
