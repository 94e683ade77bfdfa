/**
 * kafkajs 2.2.4 predates Kafka 4, which dropped old protocol versions (KIP-896). This file talks
 * to the broker through kafkajs itself, not @shop/platform/kafka, so a failure names the library.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { ALL_TOPICS, dlqTopic } from '@shop/contracts/topics';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

// Quiet: kafkajs logs each retried coordinator error at ERROR; real failures still throw with their text.
const kafka = new Kafka({ clientId: 'kafka-compat-test', brokers: inject('kafkaBrokers'), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const topic = `test-${randomUUID()}.compat`;

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

test('kafkajs reads cluster and topic metadata; every contract topic and its .dlq twin has 6 partitions', async () => {
  const cluster = await admin.describeCluster();
  expect(cluster.brokers.length).toBeGreaterThan(0);
  const wanted = ALL_TOPICS.flatMap((t) => [t, dlqTopic(t)]);
  const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
  expect(topics.map((t) => [t.name, t.partitions.length]).sort())
    .toEqual(wanted.map((t) => [t, 6]).sort());
});

test('kafkajs produces and consumes in a consumer group, and commits its offsets', async () => {
  const groupId = `test-${randomUUID()}`;
  const sent = ['a', 'b', 'c', 'd'].map((k, i) => ({ key: k, value: `value-${i}`, headers: { h: `header-${i}` } }));

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: sent });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId });
  const received: { key: string; value: string; header: string }[] = [];
  const allReceived = new Promise<void>((resolve) => {
    void consumer.connect()
      .then(() => consumer.subscribe({ topic, fromBeginning: true }))
      .then(() => consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: String(message.key), value: String(message.value), header: String(message.headers?.h) });
          if (received.length === sent.length) resolve();
        },
      }));
  });
  await allReceived;
  await consumer.disconnect(); // commits what it consumed

  expect(received.sort((x, y) => x.key.localeCompare(y.key)))
    .toEqual(sent.map((m) => ({ key: m.key, value: m.value, header: m.headers.h })));
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  // A partition the group never read reports -1.
  const total = committed!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  expect(total).toBe(sent.length);
});

test('kafkajs transactions commit atomically for a read_committed consumer', async () => {
  const producer = kafka.producer({
    transactionalId: `test-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [{ key: 'tx', value: 'aborted' }] });
  await aborted.abort();
  const committed = await producer.transaction();
  await committed.send({ topic, messages: [{ key: 'tx', value: 'committed' }] });
  await committed.commit();
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `test-${randomUUID()}`, readUncommitted: false });
  const values: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.connect()
      .then(() => consumer.subscribe({ topic, fromBeginning: true }))
      .then(() => consumer.run({
        eachMessage: async ({ message }) => {
          if (String(message.key) !== 'tx') return;
          values.push(String(message.value));
          if (message.value?.toString() === 'committed') resolve();
        },
      }));
  });
  await consumer.disconnect();
  expect(values).toEqual(['committed']);
});
