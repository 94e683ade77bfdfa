import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { dlqTopic } from '@shop/contracts/topics';
import type { LoopHealth, LoopReport } from '../health.ts';
import { client, type KafkaConfig } from './client.ts';

const PARTITIONS = 6;

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
 * The broker as a part's `/ready` body shows it (a loop report, so an outage never takes the part out
 * of service): `ok` when the cluster answers a metadata request within `timeoutMs`, else `degraded`
 * naming the failure. A probe's answer is reused for `reuseMs`, so frequent `/ready` calls do not open
 * a connection each. A paused or dead broker shows within `timeoutMs` + `reuseMs` (3.5 s by default).
 */
export function brokerHealth(cfg: KafkaConfig, timeoutMs = 1_500, reuseMs = 2_000): LoopHealth {
  let last: { at: number; report: Promise<LoopReport> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > reuseMs) {
      const report = pingKafka(cfg, timeoutMs).then(
        (): LoopReport => ({ state: 'ok' }),
        (err: unknown): LoopReport => ({ state: 'degraded', error: `broker did not answer: ${(err as Error).message}` }),
      );
      last = { at: Date.now(), report };
    }
    return last.report;
  };
}

/** Most copies a topic gets: three survive the loss of one broker with two still in sync. */
const MAX_REPLICATION = 3;

/**
 * The replication a new topic gets on the cluster `admin` talks to (its live brokers, capped at 3):
 * `replicationFactor`, and with three copies `min.insync.replicas=2`, so an `acks=all` write is on two
 * brokers before it is acknowledged and losing any one broker loses nothing. One broker: one copy.
 */
export async function replicationFor(admin: Admin): Promise<Pick<ITopicConfig, 'replicationFactor' | 'configEntries'>> {
  const { brokers } = await admin.describeCluster();
  const replicationFactor = Math.max(1, Math.min(MAX_REPLICATION, brokers.length));
  return replicationFactor >= 3
    ? { replicationFactor, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }
    : { replicationFactor };
}

/**
 * Creates each topic and its `.dlq` twin unless it exists, replicated as `replicationFor` says. Safe to
 * run from several processes at once.
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
    // A topic another process created meanwhile is not an error: kafkajs then returns false.
    const replication = await replicationFor(admin);
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, ...replication })),
      waitForLeaders: true,
    });
    cfg.logger.info({ topics: missing }, 'created Kafka topics');
  } finally {
    await admin.disconnect();
  }
}
