import { EventEmitter } from 'node:events';
import { compareIds, LOG_START, missedSomething, versionId, type ChangeLog, type LogEntry, type ReadResult } from './change-log.ts';

interface Stream {
  entries: LogEntry[];
  lastId: string;
  /** Id of the newest entry trimmed off the front: a reader behind it has missed something. */
  maxDeletedId: string;
  expiresAt: number;
}

export interface MemoryChangeLogOptions {
  maxEntries: number;
  ttlMs: number;
  now?: () => number;
}

/**
 * The change log in this process (a ring per stream): right for a single instance and for tests.
 * Several instances need the Redis log, or each would only know the changes it consumed itself.
 */
export function memoryChangeLog({ maxEntries, ttlMs, now = Date.now }: MemoryChangeLogOptions): ChangeLog {
  const streams = new Map<string, Stream>();
  const seen = new Map<string, number>();
  const appended = new EventEmitter().setMaxListeners(0);
  let lastSweep = now();

  const live = (name: string) => {
    const stream = streams.get(name);
    if (stream && stream.expiresAt <= now()) streams.delete(name);
    return streams.get(name);
  };
  const sweep = () => {
    if (now() - lastSweep < ttlMs / 10) return;
    lastSweep = now();
    for (const [name, stream] of streams) if (stream.expiresAt <= now()) streams.delete(name);
    for (const [key, expiresAt] of seen) if (expiresAt <= now()) seen.delete(key);
  };

  return {
    async append(name, data, { version, dedupeKey }) {
      sweep();
      if (dedupeKey && (seen.get(dedupeKey) ?? 0) > now()) return null;
      const stream = live(name) ?? { entries: [], lastId: LOG_START, maxDeletedId: LOG_START, expiresAt: 0 };
      let id: string;
      if (version !== undefined) id = versionId(version);
      else {
        // Like Redis: milliseconds, then a sequence within the same millisecond.
        const [lastMs = '0', lastSeq = '0'] = stream.lastId.split('-');
        const ms = Math.max(now(), Number(lastMs));
        id = `${ms}-${ms === Number(lastMs) ? Number(lastSeq) + 1 : 0}`;
      }
      if (compareIds(id, stream.lastId) <= 0) return null;
      stream.entries.push({ id, data });
      while (stream.entries.length > maxEntries) stream.maxDeletedId = stream.entries.shift()!.id;
      stream.lastId = id;
      stream.expiresAt = now() + ttlMs;
      streams.set(name, stream);
      if (dedupeKey) seen.set(dedupeKey, now() + ttlMs);
      appended.emit('append', name);
      return id;
    },
    async read<T>(name: string, after: string, options = {}): Promise<ReadResult<T>> {
      const stream = live(name);
      if (!stream) return after === LOG_START ? { kind: 'entries', entries: [] } : { kind: 'gap', latest: null };
      const latest = (stream.entries.at(-1) ?? null) as LogEntry<T> | null;
      const bounds = { firstId: stream.entries[0]?.id ?? stream.lastId, lastId: stream.lastId, maxDeletedId: stream.maxDeletedId };
      if (missedSomething(after, bounds, options)) return { kind: 'gap', latest };
      return { kind: 'entries', entries: stream.entries.filter((e) => compareIds(e.id, after) > 0) as LogEntry<T>[] };
    },
    async head(name) {
      return live(name)?.lastId ?? LOG_START;
    },
    subscribe(listener) {
      appended.on('append', listener);
      return () => appended.off('append', listener);
    },
    ready: async () => undefined,
    async close() {
      appended.removeAllListeners();
    },
  };
}
