import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { brokerList, KafkaConfig } from './config.ts';
import { consumerPlugin } from './consumer-plugin.ts';
import type { DbClient } from './db.ts';
import { dispatch, dispatchOnce, type EventHandlers } from './event-handlers.ts';
import { ensureTopics } from './kafka/admin.ts';
import { outboxRelayPlugin } from './outbox-relay-plugin.ts';

/** The config a service's messaging reads: brokers and its outbox relay. Spread into its `loadConfig` schema. */
export const MessagingConfig = (serviceName: string) => ({
  ...KafkaConfig,
  /** How long the relay waits before it looks at the outbox again (a write wakes it at once). */
  OUTBOX_POLL_MS: Type.Integer({ default: 5000, minimum: 100 }),
  /** Names the relay's Kafka transactions and checkpoint: unique per service database or keyspace. */
  OUTBOX_RELAY_ID: Type.String({ default: `${serviceName}-outbox`, minLength: 1 }),
});

/** One consumer group: the topics it reads and a handler per event type it follows. */
export type ConsumerGroup = { groupId: string; topics: string[] } & (
  /** Handlers that are idempotent by themselves. */
  | { handlers: EventHandlers; once?: undefined }
  /** Handlers applied at most once in the service's database; `once` names their processed-event records. */
  | { handlers: EventHandlers<DbClient>; once: string }
);

export interface MessagingPluginOptions {
  /** Client id for the topic admin. */
  service: string;
  config: { KAFKA_BROKERS: string; OUTBOX_RELAY_ID: string; OUTBOX_POLL_MS: number };
  /** The service's own topic (behind the prefix): the relay publishes there and keeps its checkpoint beside it. */
  topic: string;
  /**
   * Whether the PostgreSQL outbox relay runs here (default true; needs the database plugin). False for a
   * service that relays from another store itself.
   */
  relay?: boolean;
  consumers?: ConsumerGroup[];
}

/**
 * A service's Kafka, applied once in its `app.ts`: creates its own and its consumed topics (with their
 * dead-letter twins) if missing, so it runs alone on a bare cluster; runs its outbox relay; and runs one
 * consumer per group that dispatches each event to the handler of its type (unknown types skipped, data
 * that breaks its schema retried then dead-lettered by the consumer).
 */
export const messagingPlugin = fp<MessagingPluginOptions>(
  async (app, { service, config, topic, relay = true, consumers = [] }) => {
    const brokers = brokerList(config.KAFKA_BROKERS);
    const topics = new Set([topic, ...consumers.flatMap((c) => c.topics)]);
    await ensureTopics({ brokers, clientId: service, logger: app.log }, [...topics]);
    if (relay) {
      await app.register(outboxRelayPlugin, {
        brokers,
        relayId: config.OUTBOX_RELAY_ID,
        checkpointTopic: topic,
        pollIntervalMs: config.OUTBOX_POLL_MS,
      });
    }
    for (const group of consumers) {
      await app.register(consumerPlugin, {
        brokers,
        groupId: group.groupId,
        topics: group.topics,
        handle: ({ event }) =>
          group.once === undefined ? dispatch(group.handlers, event) : dispatchOnce(app.db, group.once, group.handlers, event),
      });
    }
  },
  { name: 'messaging' },
);
