import type { Redis } from 'ioredis';
import { LOG_START, missedSomething, versionId, type ChangeLog, type LogEntry, type ReadResult } from './change-log.ts';

export interface RedisChangeLogOptions {
  redis: Redis;
  /** Key prefix; streams are `<prefix>log:<stream>`, the notification channel `<prefix>log-appended`. */
  prefix: string;
  maxEntries: number;
  ttlS: number;
}

/**
 * Appends atomically: drops a redelivered event (its id is remembered for the log's lifetime) or a
 * version not newer than the stream's last, trims the stream to its bound, refreshes its lifetime, and
 * tells every instance. KEYS: stream, dedupe key (or ''); ARGV: id (`<version>-0` or `*`), payload,
 * max entries, ttl seconds, channel, stream name.
 */
const APPEND = `
if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then return false end
local id = redis.pcall('XADD', KEYS[1], 'MAXLEN', ARGV[3], ARGV[1], 'd', ARGV[2])
if type(id) == 'table' and id.err then
  if string.find(id.err, 'equal or smaller') then return false end
  return redis.error_reply(id.err)
end
if KEYS[2] ~= '' then redis.call('SET', KEYS[2], id, 'EX', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return id`;

type RawEntry = [id: string, fields: string[]];

function fieldsOf(reply: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) map.set(String(reply[i]), reply[i + 1]);
  return map;
}

const toEntry = <T>([id, fields]: RawEntry): LogEntry<T> => {
  const at = fields.indexOf('d');
  return { id, data: JSON.parse(fields[at + 1] ?? 'null') as T };
};

/**
 * The change log in Redis streams, one per stream name: several bff-mobile instances share one log, so
 * whichever instance an app reconnects to knows what it missed. Appends are published on a channel that
 * every instance subscribes to, which is how an instance learns of changes another one logged.
 */
export function redisChangeLog({ redis, prefix, maxEntries, ttlS }: RedisChangeLogOptions): ChangeLog {
  const key = (stream: string) => `${prefix}log:${stream}`;
  const channel = `${prefix}log-appended`;
  const listeners = new Set<(stream: string) => void>();
  let subscriber: Redis | undefined;
  let subscribing: Promise<void> | undefined;

  const ensureSubscribed = () => {
    subscribing ??= (async () => {
      subscriber = redis.duplicate();
      subscriber.on('error', () => undefined); // reconnects on its own; the main connection reports trouble
      subscriber.on('message', (from: string, stream: string) => {
        if (from === channel) for (const listener of listeners) listener(stream);
      });
      await subscriber.subscribe(channel);
    })();
    return subscribing;
  };

  return {
    async append(stream, data, { version, dedupeKey }) {
      const id = await redis.eval(
        APPEND,
        2,
        key(stream),
        dedupeKey ? `${prefix}seen:${dedupeKey}` : '',
        version !== undefined ? versionId(version) : '*',
        JSON.stringify(data),
        String(maxEntries),
        String(ttlS),
        channel,
        stream,
      );
      return typeof id === 'string' ? id : null;
    },

    async read<T>(stream: string, after: string, options = {}): Promise<ReadResult<T>> {
      // One transaction, so trimming cannot slip in between the bounds and the entries.
      const replies = await redis.multi().call('XINFO', 'STREAM', key(stream)).xrange(key(stream), `(${after}`, '+').exec();
      const [info, range] = replies ?? [];
      if (!info || info[0]) {
        // No such stream: nothing was ever logged, or it expired.
        return after === LOG_START ? { kind: 'entries', entries: [] } : { kind: 'gap', latest: null };
      }
      const fields = fieldsOf(info[1] as unknown[]);
      const first = fields.get('first-entry') as RawEntry | null;
      const last = fields.get('last-entry') as RawEntry | null;
      const lastId = String(fields.get('last-generated-id'));
      const bounds = { firstId: first?.[0] ?? lastId, lastId, maxDeletedId: String(fields.get('max-deleted-entry-id') ?? LOG_START) };
      if (missedSomething(after, bounds, options)) return { kind: 'gap', latest: last ? toEntry<T>(last) : null };
      if (range?.[0]) throw range[0];
      return { kind: 'entries', entries: ((range?.[1] ?? []) as RawEntry[]).map((e) => toEntry<T>(e)) };
    },

    async head(stream) {
      const [last] = (await redis.xrevrange(key(stream), '+', '-', 'COUNT', 1)) as RawEntry[];
      return last?.[0] ?? LOG_START;
    },

    subscribe(listener) {
      listeners.add(listener);
      void ensureSubscribed();
      return () => listeners.delete(listener);
    },

    async ready() {
      await ensureSubscribed();
    },

    async close() {
      listeners.clear();
      await subscriber?.quit().catch(() => subscriber?.disconnect());
    },
  };
}
