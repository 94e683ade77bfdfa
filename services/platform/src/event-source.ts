import { hostname } from 'node:os';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { LoopHealth } from './health.ts';
import { brokerHealth, ensureTopics } from './kafka/admin.ts';
import type { KafkaLogger } from './kafka/client.ts';
import { startConsumer } from './kafka/consumer.ts';
import { commitGroupStartAtEnd } from './kafka/group-start.ts';

/** Where a live hub's events come from: Kafka in production, an in-memory feed in unit tests. */
export interface LiveEventSource {
  /** Resolves once events flow to `handle`; throws if the source cannot be reached (the hub retries). */
  start(handle: (event: CloudEvent) => Promise<void>): Promise<{ stop(): Promise<void> }>;
  /** Whether the source can be reached now (the broker), for the intake's report in `/ready`. */
  health?: LoopHealth;
}

export interface KafkaSourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  logger: KafkaLogger;
}

/**
 * A stable name for this instance of a server: `configured` (INSTANCE_ID) if set, else `<hostname>-<port>`.
 * Unlike the process id it survives a restart, so a live hub's consumer group (named by it) is the same
 * group again and resumes from its committed offsets, instead of a new group piling up on the broker.
 */
export const instanceId = (configured: string, port: number): string => configured || `${hostname()}-${port}`;

/**
 * Consumes the topics in a group that starts at their end the first time it runs (a client fetches its
 * first state over HTTP, so only changes from then on matter to a live hub) and from its committed offsets
 * every time after: what was produced while the hub was down arrives when it is back. `stop` leaves the
 * group cleanly. It reads the outbox relays' transactions before they commit (`readUncommitted`): a live
 * hub only passes on what changed, each event is a change its service's database committed, and pages,
 * apps and kept listings keep the newest version they saw, so a repeat (of an aborted transaction's
 * events, sent again) changes nothing, while waiting for the commit would delay every push.
 */
export const kafkaEventSource = ({ brokers, clientId, groupId, topics, logger }: KafkaSourceOptions): LiveEventSource => ({
  health: brokerHealth({ brokers, clientId, logger }),
  async start(handle) {
    const cfg = { brokers, clientId, logger };
    await ensureTopics(cfg, topics); // a BFF may come up before the services that produce to them
    await commitGroupStartAtEnd(cfg, groupId, topics);
    return startConsumer(cfg, { groupId, topics, fromBeginning: false, readUncommitted: true, handle: ({ event }) => handle(event) });
  },
});
