import type { IHeaders, KafkaMessage } from 'kafkajs';
import { Compile } from 'typebox/compile';
import { CloudEvent } from '@shop/contracts/envelope';
import { DlqHeaders, dlqTopic } from '@shop/contracts/topics';
import type { LoopReport } from '../health.ts';
import { deadLettered } from '../metrics.ts';
import { isUnavailable } from '../unavailable.ts';
import { client, FETCH_WAIT_MS, producerOf, type KafkaConfig } from './client.ts';
import { withConsumerSpan } from './trace-context.ts';
import { trackConsumerLag } from './lag.ts';

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
  /**
   * Also read messages of Kafka transactions not committed yet (default false: read_committed). Only for
   * events that are true once sent, as an outbox relay's are (each is a row its database committed; one in
   * a transaction that aborts is sent again) and for a handler that drops a repeat or an older version.
   * Saves waiting for the commit and its markers (stage probe here: a read_committed consumer read a relay's
   * event 21-41 ms after its timestamp, an uncommitted one 6-11 ms).
   */
  readUncommitted?: boolean;
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

const JOIN_WAIT_MS = 60_000;
const isCloudEvent = Compile(CloudEvent);

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
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: FETCH_WAIT_MS,
    readUncommitted: opts.readUncommitted ?? false,
  });
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
    deadLettered.inc({ topic, group: groupId });
    log.error({ groupId, topic, partition, offset: message.offset, error }, 'message dead-lettered');
  };

  await dlq.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? false });
  trackConsumerLag(cfg, groupId, opts.topics); // /metrics shows how far behind the group is, even once it stops
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
  });
  await consumer.run({
    // Each message is handled (and dead-lettered) inside its consumer span, a child of the span that sent it.
    eachMessage: async ({ topic, partition, message, heartbeat }) => withConsumerSpan({ ...message, topic, partition, groupId }, async () => {
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
    }),
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
