import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, test } from 'vitest';
import type { Kafka } from 'kafkajs';
import type {} from '@shop/infra/testing/kafka-setup';
import { ensureTopics } from '../src/kafka/admin.ts';
import { client, producerOf, type KafkaConfig } from '../src/kafka/client.ts';
import { rememberCoordinators } from '../src/kafka/coordinators.ts';

const run = randomUUID().slice(0, 8);
const cfg: KafkaConfig = { brokers: inject('kafkaBrokers'), clientId: `coordinators-test-${run}`, logger: pino({ level: 'silent' }) };

describe('rememberCoordinators', () => {
  const producers: { disconnect(): Promise<void> }[] = [];
  afterAll(async () => { for (const p of producers) await p.disconnect(); });

  /** FindCoordinator requests a transactional producer of `kafka` sends in each of three transactions with offsets. */
  async function lookupsPerTransaction(kafka: Kafka, name: string) {
    const topic = `test-${run}-${name}.events`;
    await ensureTopics(cfg, [topic]);
    const producer = producerOf(kafka, `test-${run}-${name}`);
    producers.push(producer);
    let lookups = 0;
    producer.on(producer.events.REQUEST, ({ payload }) => { if (payload.apiName === 'GroupCoordinator') lookups++; });
    await producer.connect();
    const perTransaction: number[] = [];
    for (let i = 0; i < 3; i++) {
      lookups = 0;
      const txn = await producer.transaction();
      await txn.send({ topic, acks: -1, messages: [{ key: 'k', value: String(i) }] });
      await txn.sendOffsets({ consumerGroupId: `test-${run}-${name}`, topics: [{ topic, partitions: [{ partition: 0, offset: String(i + 1) }] }] });
      await txn.commit();
      perTransaction.push(lookups);
    }
    return perTransaction;
  }

  test('a transactional producer looks each coordinator up once, not before every step', async () => {
    const kafka = client(cfg);
    expect(rememberCoordinators(kafka)).toBe(true);
    const [, ...later] = await lookupsPerTransaction(kafka, 'remembered');
    expect(later).toEqual([0, 0]);
  });

  test('without it kafkajs looks a coordinator up before every transaction step (the yardstick of the test above)', async () => {
    const [, ...later] = await lookupsPerTransaction(client(cfg), 'plain');
    // Four steps, each asking first (and a retried step asks again).
    expect(Math.min(...later)).toBeGreaterThanOrEqual(4);
  });

  test('forgets a coordinator once a request to it fails, so the retry looks it up afresh', async () => {
    // Unit test: a stand-in for kafkajs's private cluster factory, to make a coordinator fail on demand.
    let failing: string | undefined;
    const broker = { nodeId: 1, endTxn: async () => { if (failing) throw Object.assign(new Error(failing), { type: failing }); return 'ok'; } };
    let lookups = 0;
    const cluster = { findGroupCoordinator: async (_request: { groupId: string; coordinatorType: number }) => { lookups++; return broker; } };
    const fake = { [Symbol('private:Kafka:createCluster')]: () => cluster } as unknown as Kafka;
    expect(rememberCoordinators(fake)).toBe(true);
    const made = (fake as unknown as Record<symbol, () => typeof cluster>)[Object.getOwnPropertySymbols(fake)[0]!]!();
    const find = () => made.findGroupCoordinator({ groupId: 'txn', coordinatorType: 1 }) as unknown as Promise<typeof broker>;

    expect(await (await find()).endTxn()).toBe('ok');
    expect(await (await find()).endTxn()).toBe('ok');
    expect((await find()).nodeId).toBe(1);
    expect(lookups).toBe(1);
    failing = 'CONCURRENT_TRANSACTIONS'; // the coordinator's own answer: it still is the coordinator
    await expect((await find()).endTxn()).rejects.toThrow('CONCURRENT_TRANSACTIONS');
    expect(lookups).toBe(1);
    failing = 'NOT_COORDINATOR';
    await expect((await find()).endTxn()).rejects.toThrow('NOT_COORDINATOR');
    failing = undefined;
    expect(await (await find()).endTxn()).toBe('ok');
    expect(lookups).toBe(2);
    await made.findGroupCoordinator({ groupId: 'other', coordinatorType: 0 });
    expect(lookups).toBe(3);
  });

  test('changes nothing on an object that is not a kafkajs 2.x client', () => {
    expect(rememberCoordinators({} as Kafka)).toBe(false);
  });
});
