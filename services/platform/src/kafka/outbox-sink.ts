import type { OutboxRecord, OutboxSink } from '../outbox.ts';
import { ensureTopics } from './admin.ts';
import { client, producerOf, type KafkaConfig } from './client.ts';
import { rememberCoordinators } from './coordinators.ts';
import { contextOf, envelopeTraceparent, startProducerSpan } from './trace-context.ts';

export interface OutboxSinkOptions {
  /** One per service database: names the Kafka transactions and the checkpoint's consumer group. */
  relayId: string;
  /** An existing topic (the service's own) on whose partition 0 the checkpoint is kept. */
  checkpointTopic: string;
}

/** Kafka's default offset.metadata.max.bytes is 4096. */
const CHECKPOINT_MAX_CHARS = 4_000;

/**
 * The outbox relay's way into Kafka: a batch, across topics, commits in one transaction together
 * with a checkpoint of its ids, kept as consumer-group offset metadata (no extra topic needed).
 * The transactional id fences an older relay of the same database. After any failed transaction the
 * next `publishBatch` first replaces the producer (disconnect, new one, connect), so a broker crash
 * mid-transaction cannot wedge it. Rejects when the broker cannot be reached or the topic not created;
 * `publishBatch` rejects with the transaction's error (the batch is then not committed).
 */
export async function createOutboxSink(cfg: KafkaConfig, { relayId, checkpointTopic }: OutboxSinkOptions): Promise<OutboxSink> {
  const kafka = client(cfg);
  // Each batch is on the live push's path: spare it the coordinator lookups before each transaction step.
  rememberCoordinators(kafka);
  const groupId = `outbox-${relayId}`;
  await ensureTopics(cfg, [checkpointTopic]);
  let producer = producerOf(kafka, groupId);
  await claimTransactionalId(producer);
  let broken = false;

  // After a failed transaction kafkajs may stay in ABORTING or COMMITTING for good (the abort itself
  // failed against a dead broker): only a new producer starts clean, and connecting it fences the old one.
  const renew = async () => {
    await producer.disconnect().catch(() => undefined);
    producer = producerOf(kafka, groupId);
    await claimTransactionalId(producer);
    broken = false;
  };

  return {
    async publishBatch(records: OutboxRecord[]) {
      if (records.length === 0) return;
      if (broken) await renew();
      // Each event is sent in the trace of the request or message that wrote it (the row's traceparent,
      // else the envelope's), not the relay's: its consumers continue that trace.
      const spans = records.map(({ topic, key, value, traceparent }) =>
        startProducerSpan(topic, { key }, contextOf(traceparent ?? envelopeTraceparent(value))));
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      records.forEach(({ topic, key, value }, i) =>
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key, value, headers: spans[i]!.headers }]));
      const ids = records.map((r) => r.id);
      const txn = await producer.transaction().catch((err: unknown) => {
        for (const span of spans) span.end(err);
        throw err;
      });
      try {
        await txn.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        // kafkajs's type lacks `metadata`, which its TxnOffsetCommit request does send.
        const checkpoint = { partition: 0, offset: String(Math.max(...ids)), metadata: encodeIds(ids) };
        await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: checkpointTopic, partitions: [checkpoint] }] });
        await txn.commit();
        for (const span of spans) span.end();
      } catch (err) {
        for (const span of spans) span.end(err);
        broken = true;
        await txn.abort().catch(() => undefined);
        throw err;
      }
    },
    async lastPublishedIds() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [checkpoint] = await admin.fetchOffsets({ groupId, topics: [checkpointTopic] });
        return decodeIds(checkpoint?.partitions[0]?.metadata ?? null);
      } finally {
        await admin.disconnect();
      }
    },
    close: () => producer.disconnect(),
  };
}

/**
 * Connects the producer and registers its transactional id with the coordinator now (InitProducerId),
 * which bumps the id's epoch: the producer of an earlier relay (a leader that lost the lead, a zombie)
 * is fenced from then on, and a transaction it left open is settled first, so a checkpoint read after
 * this is final. kafkajs's `connect` alone does neither: it registers the id only at the first
 * `transaction()`, which would let a zombie that had sent nothing yet fence the new leader instead.
 * Beginning and aborting an empty transaction sends no EndTxn.
 */
async function claimTransactionalId(producer: ReturnType<typeof producerOf>): Promise<void> {
  await producer.connect();
  const txn = await producer.transaction();
  await txn.abort();
}

/**
 * Ids as ranges ("1-100,105"). Should a batch's ranges not fit the metadata limit, the tail is left
 * out: those ids only risk being sent again, which idempotent consumers absorb.
 */
function encodeIds(ids: number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
    ranges.push(sorted[i] === sorted[j] ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  let text = '';
  for (const range of ranges) {
    const next = text ? `${text},${range}` : range;
    if (next.length > CHECKPOINT_MAX_CHARS) break;
    text = next;
  }
  return text;
}

function decodeIds(text: string | null): number[] {
  if (!text) return [];
  return text.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    if (from === undefined || to === undefined) return [];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}
