/**
 * The kafkajs client, made the one way every part here uses it. kafkajs is unmaintained, so nothing
 * outside `src/kafka/` imports it: swapping the client means rewriting this folder only.
 */
import { Kafka, Partitioners, logLevel, type logCreator } from 'kafkajs';
import type { BaseLogger } from 'pino';

/** A pino logger or Fastify's `app.log`. */
export type KafkaLogger = Pick<BaseLogger, 'error' | 'warn' | 'info' | 'debug'>;

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  logger: KafkaLogger;
}

/** A consumer's stop waits for its long-poll fetch to return: keep that wait short (kafkajs default 5 s). */
export const FETCH_WAIT_MS = 1_000;
/** Some seconds of retries (~7 s): a send to a missing topic or a dead cluster fails instead of hanging forever. */
const SEND_RETRIES = 5;
/**
 * A transactional producer's retries start at 20 ms (kafkajs's default 300 ms), as Java's producer does for
 * this case: a transaction begun right after the last one committed is refused with CONCURRENT_TRANSACTIONS
 * until the broker has written that one's markers (about a millisecond), and a 300 ms wait for that showed as
 * the live push's p99. Nine retries doubling from 20 ms keep a budget of some seconds (~10 s).
 */
const TRANSACTIONAL_RETRY = { initialRetryTime: 20, retries: 9 };

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

/** A kafkajs client whose logs go to the config's logger. */
export const client = (cfg: KafkaConfig) =>
  new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogs(cfg.logger),
  });

/**
 * An idempotent producer (acks=all is then the only choice), transactional when given a `transactionalId`
 * (then retried from 20 ms on, see TRANSACTIONAL_RETRY). Java-compatible murmur2 partitioning, so a key
 * lands where any other Kafka client would put it.
 */
export const producerOf = (kafka: Kafka, transactionalId?: string) =>
  kafka.producer({
    idempotent: true,
    transactionalId,
    maxInFlightRequests: 1,
    retry: transactionalId ? TRANSACTIONAL_RETRY : { retries: SEND_RETRIES },
    createPartitioner: Partitioners.DefaultPartitioner,
  });
