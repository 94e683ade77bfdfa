import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, withTransaction, type Pool } from '../src/db.ts';
import { ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { createOutboxSink } from '../src/kafka/outbox-sink.ts';
import { readTopic } from '../src/testing/read-topic.ts';
import { createLogger } from '../src/logger.ts';
import { createEvent, enqueue, startOutboxRelay } from '../src/outbox.ts';
import { startBrokerProcess, type BrokerProcess } from '@shop/infra/testing/broker-process';
import { createTestDatabase } from '../src/testing/database.ts';

const run = randomBytes(4).toString('hex');
const topic = `test-restart-${run}.events`;
const relayId = `test-restart-relay-${run}`;
const logger = createLogger('broker-restart-test', 'silent');
// The relay's own log lines, so the test knows when a publish has failed against the dead broker.
const relayLines: string[] = [];
const relayLogger = pino({ level: 'warn' }, new Writable({
  write(chunk, _encoding, done) { relayLines.push(String(chunk)); done(); },
}));
const failures = () => relayLines.filter((line) => line.includes('publishing outbox events failed')).length;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let broker: BrokerProcess;
let kafka: KafkaConfig;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  [broker, db] = await Promise.all([
    // A broker of this test's own, on ports the system picks, so killing it disturbs no one else.
    startBrokerProcess(),
    createTestDatabase('broker_restart', fixture('migrations')),
  ]);
  kafka = { brokers: broker.brokers, clientId: `broker-restart-test-${run}`, logger };
  pool = createPool(db.url);
  await ensureTopics(kafka, [topic]);
});
afterAll(async () => {
  await broker?.remove();
  await pool?.end();
  await db?.drop();
});

const eventIds: string[] = [];
const createWidget = (id: string) =>
  withTransaction(pool, async (client) => {
    await client.query('INSERT INTO widgets (id, colour) VALUES ($1, $2)', [id, 'red']);
    const event = createEvent('test', { type: 'widget.created', subject: id, data: { id } });
    await enqueue(client, topic, event);
    eventIds.push(event.id);
  });

const pendingCount = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);

describe('outbox relay across a broker crash', () => {
  it('loses no event when the broker is SIGKILLed mid-stream and restarted: nothing stays pending', async () => {
    const relay = await startOutboxRelay({
      pool,
      sink: await createOutboxSink(kafka, { relayId, checkpointTopic: topic }),
      logger: relayLogger,
      pollIntervalMs: 500,
      batchSize: 10,
    });
    try {
      for (let i = 0; i < 10; i++) await createWidget(`before-${i}`);
      await relay.drain();
      expect(await pendingCount()).toBe(0);

      // The broker dies while the relay's transaction is open: a reader that sees uncommitted messages
      // freezes it the moment the first of them lands (so the commit cannot finish), then kills it.
      let caughtUp!: () => void;
      const readerReady = new Promise<void>((resolve) => (caughtUp = resolve));
      let froze!: () => void;
      const frozen = new Promise<void>((resolve) => (froze = resolve));
      let seenBefore = 0;
      const reading = readTopic(kafka, topic, (message) => {
        if (message.key?.startsWith('before-') && ++seenBefore === 10) caughtUp();
        if (!message.key?.startsWith('during-')) return false;
        process.kill(broker.pid!, 'SIGSTOP');
        froze();
        return true;
      }, 30_000, { readUncommitted: true });
      await readerReady;
      for (let i = 0; i < 10; i++) await createWidget(`during-${i}`);
      await frozen;
      await broker.kill('SIGKILL');
      await reading.catch(() => undefined); // its own disconnect fails: the broker is gone
      await expect.poll(failures, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0);
      await broker.restart();
      for (let i = 0; i < 10; i++) await createWidget(`after-${i}`);

      await expect.poll(pendingCount, { timeout: 30_000, interval: 500 }).toBe(0);
    } finally {
      await relay.stop();
    }

    const wanted = new Set(eventIds);
    const seen = new Set<string>();
    await readTopic(kafka, topic, (message) => {
      const id = (JSON.parse(message.value ?? '{}') as { id?: string }).id;
      if (id) seen.add(id);
      return [...wanted].every((w) => seen.has(w));
    }, 15_000);
    expect(eventIds).toHaveLength(30);
    expect([...wanted].filter((id) => !seen.has(id))).toEqual([]);
  }, 90_000);
});
