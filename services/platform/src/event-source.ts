import type { CloudEvent } from '@shop/contracts/envelope';
import { ensureTopics } from './kafka/admin.ts';
import type { KafkaLogger } from './kafka/client.ts';
import { startConsumer } from './kafka/consumer.ts';

/** Where a live hub's events come from: Kafka in production, an in-memory feed in unit tests. */
export interface LiveEventSource {
  /** Resolves once events flow to `handle`; throws if the source cannot be reached (the hub retries). */
  start(handle: (event: CloudEvent) => Promise<void>): Promise<{ stop(): Promise<void> }>;
}

export interface KafkaSourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  logger: KafkaLogger;
}

/**
 * Consumes the topics from their current end: a client fetches its first state over HTTP, so only
 * changes from then on matter to a live hub.
 */
export const kafkaEventSource = ({ brokers, clientId, groupId, topics, logger }: KafkaSourceOptions): LiveEventSource => ({
  async start(handle) {
    const cfg = { brokers, clientId, logger };
    await ensureTopics(cfg, topics); // a BFF may come up before the services that produce to them
    return startConsumer(cfg, { groupId, topics, fromBeginning: false, handle: ({ event }) => handle(event) });
  },
});
