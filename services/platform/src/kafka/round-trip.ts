import { performance } from 'node:perf_hooks';
import { client, type KafkaConfig } from './client.ts';

/** A plain producer→consumer pair on a topic of its own, for timing the broker alone. */
export interface KafkaRoundTrip {
  /** Sends one message and resolves with its produce→consume time in ms; rejects if it does not arrive within 10 s. */
  once(): Promise<number>;
  /** Disconnects both clients and deletes the topic and the group. Never throws. */
  close(): Promise<void>;
}

/**
 * The broker's own cost, as the yardstick of a live push (benchmarks only): a plain kafkajs producer
 * (acks=all, no transaction) sends one message at a time to a topic of its own (`<topicPrefix>-<time>`,
 * one partition, created here) and a plain consumer (kafkajs defaults, a group of its own) receives it.
 * Times are taken on one clock (this process). Throws if the broker cannot be reached.
 */
export async function openKafkaRoundTrip(cfg: KafkaConfig, { topicPrefix }: { topicPrefix: string }): Promise<KafkaRoundTrip> {
  const kafka = client(cfg);
  const topic = `${topicPrefix}-${Date.now()}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: topic });
  const waiting = new Map<string, (at: number) => void>();
  const close = async () => {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([topic]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  };
  let seq = 0;
  const once = async () => {
    const id = `${process.pid}-${seq++}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<number>((resolve, reject) => {
      waiting.set(id, resolve);
      timer = setTimeout(() => reject(new Error(`message ${id} did not arrive within 10 s`)), 10_000);
    });
    const sent = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ key: id, value: id }] });
    try {
      return (await arrived) - sent;
    } finally {
      clearTimeout(timer);
      waiting.delete(id);
    }
  };
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        waiting.get(message.value?.toString() ?? '')?.(at);
      },
    });
    await joined;
    await once(); // warms the connections up; not a sample
  } catch (err) {
    await close();
    throw err;
  }
  return { once, close };
}
