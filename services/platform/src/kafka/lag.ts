import { Gauge } from 'prom-client';
import { processRegistry } from '../metrics.ts';
import { client, type KafkaConfig } from './client.ts';

/** One consumer group's lag on one partition: messages on the broker it has not committed yet. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** The partition's end offset minus the group's committed offset (minus the log start when it has none). */
  lag: number;
}

/**
 * The lag of each group on every partition of its topics, asked of the cluster (kafkajs admin:
 * `fetchTopicOffsets` for the partitions' ends, `fetchOffsets` for the group's commits). A group that has
 * committed nothing on a partition lags by all the partition still holds. Throws when the cluster cannot
 * be reached or a topic does not exist.
 */
export async function consumerLag(cfg: KafkaConfig, groups: { groupId: string; topics: string[] }[]): Promise<PartitionLag[]> {
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
    for (const topic of new Set(groups.flatMap((g) => g.topics))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(topic, new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }])));
    }
    const lags: PartitionLag[] = [];
    for (const { groupId, topics } of groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
        for (const { partition, offset } of partitions) {
          const end = ends.get(topic)?.get(partition);
          if (!end) continue;
          const committed = BigInt(offset);
          const lag = end.high - (committed < 0n ? end.low : committed);
          lags.push({ group: groupId, topic, partition, lag: Number(lag < 0n ? 0n : lag) });
        }
      }
    }
    return lags;
  } finally {
    await admin.disconnect();
  }
}

/** Groups this process consumes in, by group id; kept after a consumer stops, whose lag then grows. */
const tracked = new Map<string, { cfg: KafkaConfig; topics: string[] }>();
const SCRAPE_BUDGET_MS = 2_000;
let gauge: Gauge | undefined;

/**
 * Reports `kafka_consumergroup_lag{group,topic,partition}` for `groupId` in the process's registry from
 * now on, asked of the cluster at each scrape (within 2 s; an unreachable cluster leaves the gauge empty
 * for that scrape rather than failing `/metrics`). `startConsumer` calls it for every group. Throws nothing.
 */
export function trackConsumerLag(cfg: KafkaConfig, groupId: string, topics: string[]): void {
  tracked.set(groupId, { cfg, topics });
  gauge ??= new Gauge({
    name: 'kafka_consumergroup_lag', help: 'Messages a consumer group has yet to commit, per partition',
    labelNames: ['group', 'topic', 'partition'], registers: [processRegistry],
    async collect() {
      this.reset();
      // One admin connection per cluster (a process normally talks to one).
      const byCluster = new Map<string, { cfg: KafkaConfig; groups: { groupId: string; topics: string[] }[] }>();
      for (const [id, { cfg: c, topics: t }] of tracked) {
        const key = c.brokers.join(',');
        const entry = byCluster.get(key) ?? { cfg: c, groups: [] };
        entry.groups.push({ groupId: id, topics: t });
        byCluster.set(key, entry);
      }
      await Promise.all([...byCluster.values()].map(async ({ cfg: c, groups }) => {
        try {
          for (const { group, topic, partition, lag } of await within(consumerLag(c, groups), SCRAPE_BUDGET_MS)) {
            this.set({ group, topic, partition: String(partition) }, lag);
          }
        } catch (err) {
          c.logger.warn({ err }, 'could not read consumer lag for /metrics');
        }
      }));
    },
  });
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
