import fp from 'fastify-plugin';
import { brokerHealth } from './kafka/admin.ts';
import { createOutboxSink } from './kafka/outbox-sink.ts';
import { startOutboxRelay, type OutboxRelay } from './outbox.ts';

export interface OutboxRelayPluginOptions {
  brokers: string[];
  /** Names the relay's Kafka transactions and checkpoint: one per service database. */
  relayId: string;
  /** The service's own topic; the relay's checkpoint is kept beside it. */
  checkpointTopic: string;
  pollIntervalMs?: number;
  /** Age (ms) of the oldest pending event past which a relay that keeps failing is `stuck` (default 60 s). */
  stuckAfterMs?: number;
  /** How often (ms) a follower tries for the lead (default 1 s). */
  leadRetryMs?: number;
}

/**
 * Runs the service's outbox relay for as long as the app is up, reporting as loop `outbox-relay`
 * in `/ready` (with its `role`, `leader` or `follower`) and `/health`. Instances of a service on one
 * database elect one leader (a PostgreSQL advisory lock); only the leader opens a Kafka producer, whose
 * transactional id (`relayId`) fences the producer of the leader before it. Needs the database plugin.
 */
export const outboxRelayPlugin = fp<OutboxRelayPluginOptions>(
  async (app, { brokers, relayId, checkpointTopic, pollIntervalMs, stuckAfterMs, leadRetryMs }) => {
    const relay = await startOutboxRelay({
      pool: app.db,
      relayId,
      openSink: () => createOutboxSink({ brokers, clientId: relayId, logger: app.log }, { relayId, checkpointTopic }),
      logger: app.log,
      pollIntervalMs,
      leadRetryMs,
      stuckAfterMs,
    });
    app.decorate('outboxRelay', relay);
    if (app.hasDecorator('health')) app.health.register('outbox-relay', () => relay.health());
    if (app.hasDecorator('health')) app.health.register('kafka', brokerHealth({ brokers, clientId: relayId, logger: app.log }));
    app.addHook('onClose', () => relay.stop());
  },
  { name: 'outbox-relay', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    outboxRelay: OutboxRelay;
  }
}
