import { randomUUID } from 'node:crypto';
import { client, FETCH_WAIT_MS, type KafkaConfig } from '../kafka/client.ts';

/** A message as stored, for looking into topics whose values need not be CloudEvents (dead letters). */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic from its start until `count` messages have arrived, or until one matches `count`
 * when it is a predicate, committing nothing: for inspecting a dead-letter topic. Rejects if that
 * does not happen within the timeout. `readUncommitted` also shows messages of open transactions
 * (fault tests use it to act while one is in flight).
 */
export async function readTopic(
  cfg: KafkaConfig,
  topic: string,
  count: number | ((message: RawMessage) => boolean),
  timeoutMs = 30_000,
  { readUncommitted = false }: { readUncommitted?: boolean } = {},
): Promise<RawMessage[]> {
  const done = typeof count === 'number' ? (all: RawMessage[]) => all.length >= count : (all: RawMessage[]) => count(all.at(-1)!);
  const consumer = client(cfg).consumer({
    groupId: `${cfg.clientId}-reader-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: FETCH_WAIT_MS, readUncommitted,
  });
  const messages: RawMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`read ${messages.length} messages from ${topic} in ${timeoutMs} ms without finding what was expected`)),
        timeoutMs,
      );
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          messages.push({
            topic, partition, offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? null,
            headers: headerText(message.headers),
          });
          if (done(messages)) resolve();
        },
      }).catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages;
}

type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const headerText = (headers: Headers = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => {
      const last = Array.isArray(value) ? value.at(-1) : value;
      return last === undefined ? [] : [[name, last.toString()]];
    }),
  );
