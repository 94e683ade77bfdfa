import { client, type KafkaConfig } from './client.ts';

/**
 * Commits the current end of every partition of `topics` on which `groupId` has no committed offset yet,
 * so the group's first consumer starts there and any later start resumes from what was committed: events
 * produced while the group's consumer was down are delivered when it comes back, never skipped.
 * A group that has members already is left alone (they commit their own positions). Throws when the
 * cluster cannot be reached; the caller retries.
 */
export async function commitGroupStartAtEnd(cfg: KafkaConfig, groupId: string, topics: string[]): Promise<void> {
  const admin = client(cfg).admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      const unset = partitions.filter((p) => Number(p.offset) < 0).map((p) => p.partition);
      if (unset.length === 0) continue;
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      try {
        await admin.setOffsets({ groupId, topic, partitions: unset.map((partition) => ({ partition, offset: ends.get(partition) ?? '0' })) });
      } catch (err) {
        if (!(err instanceof Error && err.message.includes('no running instances'))) throw err;
        cfg.logger.debug({ groupId, topic }, 'group has running members; they commit its positions');
      }
    }
  } finally {
    await admin.disconnect();
  }
}
