import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { DlqHeaders, dlqTopic } from '@shop/contracts/topics';
import { client, FETCH_WAIT_MS, producerOf, type KafkaConfig } from './client.ts';
import { replicationFor } from './admin.ts';

/**
 * Reading and replaying dead letters (`<topic>.dlq`), for the operator's `npm run dlq`. A dead letter is
 * named by where it sits: `<topic>.dlq:<partition>:<offset>` (a poison message has no event id).
 *
 * A replay republishes the message to its original topic with its key, value and headers (less the
 * `dlq-*` ones, plus `dlq-replay-of: <id>`), and records the id in a compacted replay log topic, both in
 * one Kafka transaction: a dead letter is replayed at most once, whoever runs the command, and a crash
 * leaves either both or neither. Consumers dedup the event itself by its id (processed_events), so even
 * a message replayed by other means is applied once.
 */

/** A dead letter as read from `<topic>.dlq`. */
export interface DeadLetter {
  /** `<topic>.dlq:<partition>:<offset>`. */
  id: string;
  /** Where it came from (its headers): topic, partition, offset, the consumer group that gave up, and why. */
  original: { topic: string; partition: number; offset: string };
  group?: string;
  error?: string;
  key: string | null;
  value: string | null;
  /** Every header, the `dlq-*` ones included. */
  headers: Record<string, string>;
  /** When it was dead-lettered (ISO 8601). */
  deadLetteredAt: string;
}

/** A replay's record in the replay log (the value; the key is the dead letter's id). */
export interface ReplayRecord {
  id: string;
  to: { topic: string; partition: number; offset: string };
  replayedAt: string;
}

/** Thrown for input that names nothing: an unknown topic, a malformed id, an id with no dead letter. */
export class DeadLetterInputError extends Error {
  override name = 'DeadLetterInputError';
}

/** Header a replayed message carries, naming the dead letter it came from. */
export const REPLAY_OF_HEADER = 'dlq-replay-of';
const DLQ_SUFFIX = dlqTopic('');

/** `<dlq topic>:<partition>:<offset>` → its parts; throws DeadLetterInputError for anything else. */
export function parseDeadLetterId(id: string): { topic: string; partition: number; offset: string } {
  const match = /^(.+):(\d+):(\d+)$/.exec(id);
  if (!match || !match[1]!.endsWith(DLQ_SUFFIX)) {
    throw new DeadLetterInputError(`'${id}' is not a dead letter id: expected <topic>${DLQ_SUFFIX}:<partition>:<offset>, as 'list' prints`);
  }
  return { topic: match[1]!, partition: Number(match[2]), offset: match[3]! };
}

const text = (value: IHeaders[string]): string | undefined => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === undefined ? undefined : last.toString();
};

/**
 * Every dead letter now in `dlq` (a `<topic>.dlq` topic), oldest first per partition: reads from each
 * partition's start to the end it had when called, committing nothing (a throwaway group, deleted after).
 * Throws DeadLetterInputError when the topic does not exist, a kafkajs error when the cluster is unreachable,
 * and an Error when the read takes longer than `timeoutMs`.
 */
export async function readDeadLetters(cfg: KafkaConfig, dlq: string, timeoutMs = 30_000): Promise<DeadLetter[]> {
  const kafka = client(cfg);
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(dlq)) throw new DeadLetterInputError(`no topic '${dlq}' on the cluster`);
    const ends = (await admin.fetchTopicOffsets(dlq)).filter((p) => BigInt(p.high) > BigInt(p.low));
    if (ends.length === 0) return [];
    const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
    const groupId = `${cfg.clientId}-dlq-reader-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: FETCH_WAIT_MS });
    const letters: DeadLetter[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [dlq], fromBeginning: true });
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${dlq} took longer than ${timeoutMs} ms`)), timeoutMs);
        // Done with a partition once a batch reaches its end: by batch, since a transaction's commit
        // marker takes an offset no message has (the replay log is written in transactions).
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          const end = remaining.get(payload.partition);
          if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(payload.partition);
          if (remaining.size === 0) resolve();
        });
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined) return;
            if (BigInt(message.offset) < end) {
              const headers = Object.fromEntries(Object.entries(message.headers ?? {}).flatMap(([k, v]) => {
                const t = text(v);
                return t === undefined ? [] : [[k, t]];
              }));
              letters.push({
                id: `${dlq}:${partition}:${message.offset}`,
                original: {
                  topic: headers[DlqHeaders.topic] ?? dlq.slice(0, -DLQ_SUFFIX.length),
                  partition: Number(headers[DlqHeaders.partition] ?? -1),
                  offset: headers[DlqHeaders.offset] ?? '?',
                },
                ...(headers[DlqHeaders.consumerGroup] ? { group: headers[DlqHeaders.consumerGroup] } : {}),
                ...(headers[DlqHeaders.error] ? { error: headers[DlqHeaders.error] } : {}),
                key: message.key?.toString('utf8') ?? null,
                value: message.value?.toString('utf8') ?? null,
                headers,
                deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
              });
            }
          },
        }).catch(reject);
      }).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return letters.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  } finally {
    await admin.disconnect();
  }
}

/** Every record of the replay log `replayLog`, by dead letter id (the latest per id). [] when it does not exist yet. */
export async function readReplayLog(cfg: KafkaConfig, replayLog: string): Promise<Map<string, ReplayRecord>> {
  const admin = client(cfg).admin();
  await admin.connect();
  const exists = await admin.listTopics().then((topics) => topics.includes(replayLog)).finally(() => admin.disconnect());
  const records = new Map<string, ReplayRecord>();
  if (!exists) return records;
  for (const letter of await readDeadLetters(cfg, replayLog).catch((err: unknown) => {
    if (err instanceof DeadLetterInputError) return [];
    throw err;
  })) {
    if (letter.key && letter.value) records.set(letter.key, JSON.parse(letter.value) as ReplayRecord);
  }
  return records;
}

/** Creates the compacted replay log topic unless it exists (one partition: it is small and read whole). */
async function ensureReplayLog(cfg: KafkaConfig, replayLog: string): Promise<void> {
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(replayLog)) return;
    const { replicationFactor, configEntries = [] } = await replicationFor(admin);
    await admin.createTopics({
      topics: [{ topic: replayLog, numPartitions: 1, replicationFactor, configEntries: [...configEntries, { name: 'cleanup.policy', value: 'compact' }] }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** What a replay did with one dead letter. */
export type ReplayOutcome =
  | { id: string; replayed: true; record: ReplayRecord }
  | { id: string; replayed: false; reason: 'already replayed'; record: ReplayRecord };

/**
 * Republishes `letters` to their original topics (key, value and headers, less `dlq-*`, plus
 * `dlq-replay-of`), each together with its record in `replayLog` in one transaction; a letter the log
 * already names is left alone (idempotent). `transactionalId` fences a concurrent replayer of the same
 * log. Returns one outcome per letter, in order; throws a kafkajs error when the cluster fails (the
 * letter in hand is then neither replayed nor recorded).
 */
export async function replayDeadLetters(
  cfg: KafkaConfig,
  letters: DeadLetter[],
  { replayLog, transactionalId }: { replayLog: string; transactionalId: string },
): Promise<ReplayOutcome[]> {
  await ensureReplayLog(cfg, replayLog);
  const done = await readReplayLog(cfg, replayLog);
  const producer = producerOf(client(cfg), transactionalId);
  await producer.connect();
  const outcomes: ReplayOutcome[] = [];
  try {
    for (const letter of letters) {
      const earlier = done.get(letter.id);
      if (earlier) {
        outcomes.push({ id: letter.id, replayed: false, reason: 'already replayed', record: earlier });
        continue;
      }
      const headers: Record<string, string> = { [REPLAY_OF_HEADER]: letter.id };
      for (const [name, value] of Object.entries(letter.headers)) if (!name.startsWith('dlq-')) headers[name] = value;
      const txn = await producer.transaction();
      try {
        const [sent] = await txn.send({
          topic: letter.original.topic, acks: -1,
          messages: [{ key: letter.key, value: letter.value, headers }],
        });
        const record: ReplayRecord = {
          id: letter.id,
          to: { topic: letter.original.topic, partition: sent?.partition ?? -1, offset: sent?.baseOffset ?? '?' },
          replayedAt: new Date().toISOString(),
        };
        await txn.send({ topic: replayLog, acks: -1, messages: [{ key: letter.id, value: JSON.stringify(record) }] });
        await txn.commit();
        done.set(letter.id, record);
        outcomes.push({ id: letter.id, replayed: true, record });
      } catch (err) {
        await txn.abort().catch(() => undefined);
        throw err;
      }
    }
  } finally {
    await producer.disconnect();
  }
  return outcomes;
}

/** The dead-letter topics on the cluster among `topics` (each `<topic>.dlq`), for listing them all. */
export async function existingTopics(cfg: KafkaConfig, topics: string[]): Promise<string[]> {
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    const all = new Set(await admin.listTopics());
    return topics.filter((t) => all.has(t));
  } finally {
    await admin.disconnect();
  }
}
