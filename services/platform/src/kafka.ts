/**
 * The one place that talks to Kafka. kafkajs is unmaintained, so nothing else imports it:
 * swapping the client means rewriting this file only.
 */
import { Kafka, Partitioners, logLevel, type IHeaders, type KafkaMessage, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import { CloudEvent } from '@shop/contracts/envelope';
import { DlqHeaders, dlqTopic } from '@shop/contracts/topics';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  logger: Logger;
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
  stop(): Promise<void>;
}

const PARTITIONS = 6;
const JOIN_WAIT_MS = 60_000;
const isCloudEvent = Compile(CloudEvent);

/** kafkajs logs go to pino, warnings and errors only: its info level narrates every rebalance. */
const pinoLogs = (logger: Logger): logCreator => () => ({ namespace, level, log }) => {
  const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
  const child = { component: 'kafkajs', namespace, ...fields };
  if (level === logLevel.ERROR) logger.error(child, message);
  else if (level === logLevel.WARN) logger.warn(child, message);
  else logger.debug(child, message);
};

const client = (cfg: KafkaConfig, quiet = false) =>
  new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: pinoLogs(cfg.logger),
  });

/** Java-compatible murmur2 partitioning, so a key lands where any other Kafka client would put it. */
const producerOf = (kafka: Kafka) =>
  kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

/** An idempotent producer writing with acks=all. */
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

/**
 * Creates whichever of the topics and their `.dlq` twins do not exist yet. Safe to run from
 * several processes at once: a topic someone else just created counts as done.
 */
export async function ensureTopics(cfg: KafkaConfig, topics: string[], partitions = PARTITIONS): Promise<void> {
  const dlqSuffix = dlqTopic('');
  const wanted = new Set(topics.flatMap((t) => (t.endsWith(dlqSuffix) ? [t] : [t, dlqTopic(t)])));
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
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
  const maxAttempts = opts.maxAttempts ?? 3;
  const log = cfg.logger.child({ groupId: opts.groupId });
  const kafka = client(cfg);
  const consumer = kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
  const dlq = producerOf(kafka);

  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, error: string) => {
    const headers: IHeaders = {
      ...message.headers,
      [DlqHeaders.topic]: topic,
      [DlqHeaders.partition]: String(partition),
      [DlqHeaders.offset]: message.offset,
      [DlqHeaders.consumerGroup]: opts.groupId,
      [DlqHeaders.error]: error,
    };
    // If this send fails the offset stays uncommitted and kafkajs redelivers: nothing is lost.
    await dlq.send({ topic: dlqTopic(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    log.error({ topic, partition, offset: message.offset, error }, 'message dead-lettered');
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
          return;
        } catch (err) {
          if (attempt >= maxAttempts) {
            return deadLetter(topic, partition, message, `handler failed ${attempt} times: ${errorMessage(err)}`);
          }
          log.warn({ topic, partition, offset: message.offset, attempt, err }, 'handler failed, retrying');
          await sleep(Math.min(100 * 2 ** (attempt - 1), 2_000));
          await heartbeat();
        }
      }
    },
  });

  // A join can take a while when a crashed member of the same group has yet to time out; start anyway.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(resolve, JOIN_WAIT_MS, false); });
  const waited = await Promise.race([joined.then(() => true), timedOut]);
  clearTimeout(timer);
  if (!waited) log.warn({ topics: opts.topics }, 'consumer has not joined its group yet; going on');

  return {
    async stop() {
      await consumer.disconnect(); // waits for the message in hand, commits, leaves the group
      await dlq.disconnect();
    },
  };
}
