/**
 * The one place that talks to Kafka. kafkajs is unmaintained, so nothing else imports it:
 * swapping the client means rewriting this file only.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type IHeaders, type KafkaMessage, type logCreator } from 'kafkajs';
import type { BaseLogger } from 'pino';
import { Compile } from 'typebox/compile';
import { CloudEvent } from '@shop/contracts/envelope';
import { DlqHeaders, dlqTopic } from '@shop/contracts/topics';
import type { LoopReport } from './health.ts';
import { isUnavailable } from './unavailable.ts';
import type { OutboxRecord, OutboxSink } from './outbox.ts';

/** A pino logger or Fastify's `app.log`. */
export type KafkaLogger = Pick<BaseLogger, 'error' | 'warn' | 'info' | 'debug'>;

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  logger: KafkaLogger;
}

export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface Publisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedEvent {
  event: CloudEvent;
  topic: string;
  partition: number;
  offset: string;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Handler attempts before a message is dead-lettered (default 3). */
  maxAttempts?: number;
  handle(msg: ConsumedEvent): Promise<void>;
}

export interface Consumer {
  /**
   * `joined` (in its group), `lastError`; `degraded` while not in its group or while a handler keeps
   * failing (a store outage); `stuck` once kafkajs gave up on it (a crash it does not restart from).
   */
  health(): LoopReport;
  stop(): Promise<void>;
}

/** A message as stored, for looking into topics whose values need not be CloudEvents (dead letters). */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const PARTITIONS = 6;
const JOIN_WAIT_MS = 60_000;
/** A consumer's stop waits for its long-poll fetch to return: keep that wait short (kafkajs default 5 s). */
const FETCH_WAIT_MS = 1_000;
/** Some seconds of retries (~7 s): a send to a missing topic or a dead cluster fails instead of hanging forever. */
const SEND_RETRIES = 5;
const isCloudEvent = Compile(CloudEvent);

/**
 * kafkajs logs go to pino, warnings and errors only: its info level narrates every rebalance.
 * It logs each error response at ERROR and then retries it, so those are warnings here; a failure
 * that outlasts the retries still surfaces as a thrown error or a consumer crash.
 */
const pinoLogs = (logger: KafkaLogger): logCreator => () => ({ namespace, level, log }) => {
  const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
  const entry = { component: 'kafkajs', namespace, ...fields };
  const retried = namespace === 'Connection' && message.startsWith('Response ');
  // Bounding an idempotent producer's retries is deliberate (see SEND_RETRIES); duplicates are tolerated downstream.
  const expected = message.startsWith('Limiting retries for the idempotent producer');
  if (level === logLevel.ERROR && !retried) logger.error(entry, message);
  else if (level <= logLevel.WARN && !expected) logger.warn(entry, message);
  else logger.debug(entry, message);
};

const client = (cfg: KafkaConfig) =>
  new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogs(cfg.logger),
  });

/**
 * An idempotent producer (acks=all is then the only choice). Java-compatible murmur2 partitioning,
 * so a key lands where any other Kafka client would put it.
 */
const producerOf = (kafka: Kafka, transactionalId?: string) =>
  kafka.producer({
    idempotent: true,
    transactionalId,
    maxInFlightRequests: 1,
    retry: { retries: SEND_RETRIES },
    createPartitioner: Partitioners.DefaultPartitioner,
  });

export async function createPublisher(cfg: KafkaConfig): Promise<Publisher> {
  const producer = producerOf(client(cfg));
  await producer.connect();
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      await producer.send({ topic, acks: -1, messages });
    },
    close: () => producer.disconnect(),
  };
}

/** Throws unless the cluster answers a metadata request within the timeout; for probes and /ready. */
export async function pingKafka(cfg: KafkaConfig, timeoutMs = 2_000): Promise<void> {
  const admin = new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.NOTHING, // a failed probe is an answer, not an error worth logging
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Creates each topic and its `.dlq` twin unless it exists. Safe to run from several processes at once. */
export async function ensureTopics(cfg: KafkaConfig, topics: string[], partitions = PARTITIONS): Promise<void> {
  const dlqSuffix = dlqTopic('');
  const wanted = new Set(topics.flatMap((t) => (t.endsWith(dlqSuffix) ? [t] : [t, dlqTopic(t)])));
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    // A topic another process created meanwhile is not an error: kafkajs then returns false.
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
    cfg.logger.info({ topics: missing }, 'created Kafka topics');
  } finally {
    await admin.disconnect();
  }
}

type Decoded = { event: CloudEvent } | { error: string };

function decode(value: Buffer | null): Decoded {
  if (value === null) return { error: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { error: `value is not JSON: ${errorMessage(err)}` };
  }
  if (isCloudEvent.Check(json)) return { event: json as CloudEvent };
  const why = isCloudEvent.Errors(json).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return { error: `value is not a CloudEvent: ${why.join('; ')}` };
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes CloudEvents in a consumer group. A message that is not a valid CloudEvent goes straight
 * to `<topic>.dlq`; one whose handler keeps throwing is retried with a short backoff, then dead-lettered.
 * Either way the offset is committed and consumption goes on: a bad message never stalls a partition.
 * Resolves once the consumer has joined its group, so a caller may produce right away.
 */
export async function startConsumer(cfg: KafkaConfig, opts: ConsumerOptions): Promise<Consumer> {
  const { groupId } = opts;
  const maxAttempts = opts.maxAttempts ?? 3;
  const log = cfg.logger;
  const kafka = client(cfg);
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: FETCH_WAIT_MS });
  const dlq = producerOf(kafka);
  let stopping = false;
  let joinedGroup = false;
  let crash: { error: string; restart: boolean } | undefined;
  let handlerFailure: { error: string; since: number } | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedGroup = true;
    crash = undefined;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joinedGroup = false;
    crash = { error: errorMessage(payload.error), restart: payload.restart };
    if (!payload.restart && !stopping) log.error({ groupId, err: payload.error }, 'consumer crashed and will not restart');
  });

  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, error: string) => {
    const headers: IHeaders = {
      ...message.headers,
      [DlqHeaders.topic]: topic,
      [DlqHeaders.partition]: String(partition),
      [DlqHeaders.offset]: message.offset,
      [DlqHeaders.consumerGroup]: groupId,
      [DlqHeaders.error]: error,
    };
    // If this send fails the offset stays uncommitted and kafkajs redelivers: nothing is lost.
    await dlq.send({ topic: dlqTopic(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    log.error({ groupId, topic, partition, offset: message.offset, error }, 'message dead-lettered');
  };

  await dlq.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? false });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
  });
  await consumer.run({
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      const decoded = decode(message.value);
      if ('error' in decoded) return deadLetter(topic, partition, message, decoded.error);
      for (let attempt = 1; ; attempt++) {
        try {
          await opts.handle({ event: decoded.event, topic, partition, offset: message.offset });
          handlerFailure = undefined;
          return;
        } catch (err) {
          handlerFailure = { error: errorMessage(err), since: handlerFailure?.since ?? Date.now() };
          // A message is only dead-lettered for its own faults. While the handler's store is down the
          // partition waits and retries, and on shutdown the message stays uncommitted for next time.
          const unavailable = isUnavailable(err);
          if (unavailable && stopping) throw err;
          if (!unavailable && attempt >= maxAttempts) {
            handlerFailure = undefined; // the message is set aside; the partition goes on
            return deadLetter(topic, partition, message, `handler failed ${attempt} times: ${errorMessage(err)}`);
          }
          log.warn({ groupId, topic, partition, offset: message.offset, attempt, err, unavailable }, 'handler failed, retrying');
          await sleep(Math.min(100 * 2 ** (attempt - 1), unavailable ? 5_000 : 2_000));
          await heartbeat();
        }
      }
    },
  });

  // A join can take a while when a crashed member of the same group has yet to time out; start anyway.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(resolve, JOIN_WAIT_MS, false); });
  const inGroup = await Promise.race([joined.then(() => true), timedOut]);
  clearTimeout(timer);
  if (!inGroup) log.warn({ groupId, topics: opts.topics }, 'consumer has not joined its group yet; going on');

  return {
    health() {
      const state = crash && !crash.restart ? 'stuck' : !joinedGroup || handlerFailure ? 'degraded' : 'ok';
      const lastError = crash?.error ?? handlerFailure?.error;
      return {
        state,
        joined: joinedGroup,
        ...(crash ? { crashed: true, restarting: crash.restart } : {}),
        ...(handlerFailure ? { failingForMs: Date.now() - handlerFailure.since } : {}),
        ...(lastError ? { lastError } : {}),
      };
    },
    async stop() {
      stopping = true;
      await consumer.disconnect(); // waits for the message in hand, commits, leaves the group
      await dlq.disconnect();
    },
  };
}

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
 * The transactional id fences an older relay of the same database.
 */
export async function createOutboxSink(cfg: KafkaConfig, { relayId, checkpointTopic }: OutboxSinkOptions): Promise<OutboxSink> {
  const kafka = client(cfg);
  const groupId = `outbox-${relayId}`;
  await ensureTopics(cfg, [checkpointTopic]);
  let producer = producerOf(kafka, groupId);
  await producer.connect(); // settles a transaction an earlier relay left open, so the checkpoint read below is final
  let broken = false;

  // After a failed transaction kafkajs may stay in ABORTING or COMMITTING for good (the abort itself
  // failed against a dead broker): only a new producer starts clean, and connecting it fences the old one.
  const renew = async () => {
    await producer.disconnect().catch(() => undefined);
    producer = producerOf(kafka, groupId);
    await producer.connect();
    broken = false;
  };

  return {
    async publishBatch(records: OutboxRecord[]) {
      if (records.length === 0) return;
      if (broken) await renew();
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const { topic, key, value } of records) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key, value }]);
      const ids = records.map((r) => r.id);
      const txn = await producer.transaction();
      try {
        await txn.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        // kafkajs's type lacks `metadata`, which its TxnOffsetCommit request does send.
        const checkpoint = { partition: 0, offset: String(Math.max(...ids)), metadata: encodeIds(ids) };
        await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: checkpointTopic, partitions: [checkpoint] }] });
        await txn.commit();
      } catch (err) {
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

const headerText = (headers: IHeaders = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => {
      const last = Array.isArray(value) ? value.at(-1) : value;
      return last === undefined ? [] : [[name, last.toString()]];
    }),
  );
