import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
// Types only: the `kafkaBrokers` that infra's vitest globalSetup provides.
import type {} from '@shop/infra/testing/kafka-setup';
import { eventContract, type CloudEvent } from '@shop/contracts/envelope';
import { Type } from 'typebox';
import { dispatch, handler } from '../src/event-handlers.ts';
import { DlqHeaders, dlqTopic } from '@shop/contracts/topics';
import { ensureTopics } from '../src/kafka/admin.ts';
import { client, producerOf, type KafkaConfig } from '../src/kafka/client.ts';
import { kafkaEventSource } from '../src/event-source.ts';
import { startConsumer, type ConsumedEvent, type ConsumerOptions } from '../src/kafka/consumer.ts';
import { createOutboxSink } from '../src/kafka/outbox-sink.ts';
import { createPublisher, type Publisher } from '../src/kafka/publisher.ts';
import { readTopic } from '../src/testing/read-topic.ts';

const run = randomUUID().slice(0, 8);
const cfg: KafkaConfig = { brokers: inject('kafkaBrokers'), clientId: `kafka-test-${run}`, logger: pino({ level: 'silent' }) };

const cloudEvent = (subject: string, data: unknown): CloudEvent => ({
  specversion: '1.0', id: randomUUID(), source: 'kafka-test', type: 'test.thing.happened',
  subject, time: new Date().toISOString(), data,
});
const asMessage = (event: CloudEvent) => ({ key: event.subject, value: JSON.stringify(event) });

let publisher: Publisher;
beforeAll(async () => { publisher = await createPublisher(cfg); });
afterAll(async () => { await publisher?.close(); });

/** A topic and consumer group of the test's own, so runs and tests never see each other's messages. */
async function freshTopic(name: string) {
  const topic = `test-${run}-${name}.events`;
  await ensureTopics(cfg, [topic]);
  return { topic, groupId: `test-${run}-${name}` };
}

async function consume(opts: Omit<ConsumerOptions, 'handle'>, handle: ConsumerOptions['handle'] = async () => {}) {
  const handled: ConsumedEvent[] = [];
  const consumer = await startConsumer(cfg, { ...opts, handle: async (msg) => { await handle(msg); handled.push(msg); } });
  return { handled, stop: () => consumer.stop() };
}

describe('startConsumer', () => {
  test('dead-letters what is not a CloudEvent, with the reason in its headers, and goes on', async () => {
    const { topic, groupId } = await freshTopic('poison');
    const consumer = await consume({ groupId, topics: [topic], fromBeginning: true });
    const good = cloudEvent('sku-1', { n: 1 });
    // One key, so one partition: the poison comes first and the good event must still get through.
    await publisher.publish(topic, [
      { key: 'sku-1', value: 'this is plain text', headers: { traceparent: 'kept' } },
      { key: 'sku-1', value: JSON.stringify({ hello: 'json, but no envelope' }) },
      asMessage(good),
    ]);

    await expect.poll(() => consumer.handled.map((m) => m.event.id)).toEqual([good.id]);
    const [handled] = consumer.handled;
    const dead = await readTopic(cfg, dlqTopic(topic), 2);
    expect(dead.map((m) => [m.key, m.value, m.headers.traceparent])).toEqual([
      ['sku-1', 'this is plain text', 'kept'],
      ['sku-1', JSON.stringify({ hello: 'json, but no envelope' }), undefined],
    ]);
    expect(dead[0]!.headers).toMatchObject({
      [DlqHeaders.topic]: topic,
      [DlqHeaders.partition]: String(handled!.partition),
      [DlqHeaders.offset]: String(Number(handled!.offset) - 2),
      [DlqHeaders.consumerGroup]: groupId,
      [DlqHeaders.error]: expect.stringMatching(/^value is not JSON/),
    });
    expect(dead[1]!.headers[DlqHeaders.error]).toMatch(/^value is not a CloudEvent: .*specversion/);

    // Offsets were committed past the poison: the group, restarted, only sees what is new.
    await consumer.stop();
    const restarted = await consume({ groupId, topics: [topic], fromBeginning: true });
    const later = cloudEvent('sku-1', { n: 2 });
    await publisher.publish(topic, [asMessage(later)]);
    await expect.poll(() => restarted.handled.map((m) => m.event.id)).toEqual([later.id]);
    await restarted.stop();
  });

  test('retries a failing handler maxAttempts times, dead-letters the message and goes on', async () => {
    const { topic, groupId } = await freshTopic('failing');
    const attempts = new Map<string, number>();
    const consumer = await consume({ groupId, topics: [topic], fromBeginning: true, maxAttempts: 3 }, async ({ event }) => {
      attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
      if ((event.data as { fail: boolean }).fail) throw new Error('the handler is broken');
    });
    const bad = cloudEvent('sku-2', { fail: true });
    const next = cloudEvent('sku-2', { fail: false });
    await publisher.publish(topic, [asMessage(bad), asMessage(next)]);

    await expect.poll(() => consumer.handled.map((m) => m.event.id)).toEqual([next.id]);
    expect(attempts.get(bad.id)).toBe(3);
    const [dead] = await readTopic(cfg, dlqTopic(topic), 1);
    expect(JSON.parse(dead!.value!)).toEqual(bad);
    expect(dead!.key).toBe('sku-2');
    expect(dead!.headers[DlqHeaders.error]).toBe('handler failed 3 times: the handler is broken');
    expect(dead!.headers[DlqHeaders.consumerGroup]).toBe(groupId);
    await consumer.stop();
  });

  test('dead-letters an event in a data schema version its handlers do not accept, naming it, and goes on', async () => {
    const { topic, groupId } = await freshTopic('version');
    const ThingV1 = eventContract('test.thing.happened', 1, Type.Object({ n: Type.Integer() }));
    const seen: number[] = [];
    const handlers = { [ThingV1.type]: handler(ThingV1, async ({ n }) => void seen.push(n)) };
    const consumer = await consume({ groupId, topics: [topic], fromBeginning: true, maxAttempts: 2 }, ({ event }) => dispatch(handlers, event));
    const v2 = { ...cloudEvent('sku-5', { n: 2 }), dataschema: 'urn:shop:schema:test.thing.happened:2' };
    const v1 = { ...cloudEvent('sku-5', { n: 1 }), dataschema: ThingV1.dataschema };
    await publisher.publish(topic, [asMessage(v2), asMessage(v1)]);

    await expect.poll(() => consumer.handled.map((m) => m.event.id)).toEqual([v1.id]);
    expect(seen).toEqual([1]);
    const [dead] = await readTopic(cfg, dlqTopic(topic), 1);
    expect(JSON.parse(dead!.value!)).toEqual(v2);
    expect(dead!.headers[DlqHeaders.error]).toBe(
      `handler failed 2 times: test.thing.happened ${v2.id}: data schema version 2 is not accepted here (accepts version 1)`,
    );
    await consumer.stop();
  });

  test('a handler whose store is down keeps retrying past maxAttempts instead of dead-lettering the message', async () => {
    const { topic, groupId } = await freshTopic('store-down');
    let outages = 5;
    const consumer = await consume({ groupId, topics: [topic], fromBeginning: true, maxAttempts: 2 }, async () => {
      if (outages-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const event = cloudEvent('sku-4', {});
    await publisher.publish(topic, [asMessage(event)]);

    await expect.poll(() => consumer.handled.map((m) => m.event), { timeout: 20_000 }).toEqual([event]);
    await consumer.stop();
    await expect(readTopic(cfg, dlqTopic(topic), 1, 3_000)).rejects.toThrow(/read 0 messages/);
  });

  test('a handler that fails once and then succeeds dead-letters nothing', async () => {
    const { topic, groupId } = await freshTopic('flaky');
    let failures = 0;
    const consumer = await consume({ groupId, topics: [topic], fromBeginning: true }, async () => {
      if (failures++ === 0) throw new Error('transient');
    });
    const event = cloudEvent('sku-3', {});
    await publisher.publish(topic, [asMessage(event)]);

    await expect.poll(() => consumer.handled.map((m) => m.event)).toEqual([event]);
    await consumer.stop();
    await expect(readTopic(cfg, dlqTopic(topic), 1, 3_000)).rejects.toThrow(/read 0 messages/);
  });
});

describe('createOutboxSink', () => {
  test('commits a batch across topics with a checkpoint of its ids that a new relay can read', async () => {
    const { topic: one } = await freshTopic('outbox-one');
    const { topic: two } = await freshTopic('outbox-two');
    const options = { relayId: `test-${run}`, checkpointTopic: one };
    const events = [cloudEvent('a', 1), cloudEvent('b', 2), cloudEvent('c', 3), cloudEvent('d', 4)];
    const records = [1, 2, 3, 7].map((id, i) => ({ id, topic: i % 2 ? two : one, ...asMessage(events[i]!) }));

    const sink = await createOutboxSink(cfg, options);
    expect(await sink.lastPublishedIds()).toEqual([]);
    await sink.publishBatch(records);
    await sink.close();

    const successor = await createOutboxSink(cfg, options);
    expect(await successor.lastPublishedIds()).toEqual([1, 2, 3, 7]);
    await successor.publishBatch([{ id: 8, topic: one, ...asMessage(cloudEvent('e', 5)) }]);
    expect(await successor.lastPublishedIds()).toEqual([8]);
    await successor.close();

    const published = [...(await readTopic(cfg, one, 3)), ...(await readTopic(cfg, two, 2))];
    expect(published.map((m) => m.key).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('kafkaEventSource', () => {
  test("a live hub hears an outbox relay's event while its transaction is still open; a read_committed group only once it commits", async () => {
    const { topic, groupId } = await freshTopic('live-uncommitted');
    const heard: string[] = [];
    const source = await kafkaEventSource({ ...cfg, groupId, topics: [topic] }).start(async (event) => void heard.push(event.id));
    const committed = await consume({ groupId: `${groupId}-committed`, topics: [topic], fromBeginning: true });
    const producer = producerOf(client(cfg), `test-${run}-live-uncommitted`);
    await producer.connect();
    try {
      const event = cloudEvent('sku-6', { available: 1 });
      const txn = await producer.transaction();
      await txn.send({ topic, acks: -1, messages: [asMessage(event)] });

      await expect.poll(() => heard).toEqual([event.id]);
      expect(committed.handled).toEqual([]); // the same broker, read_committed: not yet

      await txn.commit();
      await expect.poll(() => committed.handled.map((m) => m.event.id)).toEqual([event.id]);
      expect(heard).toEqual([event.id]); // the commit delivers nothing twice
    } finally {
      await producer.disconnect();
      await committed.stop();
      await source.stop();
    }
  });
});
