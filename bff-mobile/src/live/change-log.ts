/**
 * A bounded log of recent changes per stream (`stock:<sku>`, `user:<userId>`), so an app that slept can
 * be given exactly what it missed. Entry ids are Redis stream ids (`<ms>-<seq>`, or `<version>-0` for
 * streams whose producer numbers its changes), strictly increasing per stream.
 */

export interface LogEntry<T = unknown> {
  id: string;
  data: T;
}

/**
 * `entries`: everything after the position asked for, oldest first (possibly none).
 * `gap`: some of it is gone (trimmed, expired, or the position is from a log that no longer exists):
 * the reader needs a fresh snapshot; `latest` is the newest entry still kept, if any.
 */
export type ReadResult<T = unknown> = { kind: 'entries'; entries: LogEntry<T>[] } | { kind: 'gap'; latest: LogEntry<T> | null };

export interface AppendOptions {
  /**
   * The aggregate's version, for streams ordered by their producer (stock): the entry's id is `<version>-0`
   * and anything not newer than the stream's last entry is dropped (a duplicate or a stale update).
   */
  version?: number;
  /** Otherwise the log numbers the entry, and this key (the event id) keeps a redelivered event out. */
  dedupeKey?: string;
}

export interface ReadOptions {
  /** The stream's ids are versions (`append` with `version`); positions may be versions the log never held. */
  versioned?: boolean;
}

/** What a reader's position is judged against. */
export interface StreamBounds {
  firstId: string;
  lastId: string;
  /** Newest id trimmed off the front, `0-0` when nothing was. */
  maxDeletedId: string;
}

/**
 * Whether a reader at `after` may have missed entries the log no longer has:
 * - it is ahead of the log (the log was lost and started again);
 * - entries after it were trimmed;
 * - the stream was never trimmed but starts after it: the stream expired and was created anew (or, for a
 *   versioned stream, changes happened before the log saw any). A position the log handed out itself is
 *   an entry's id or `0-0`; a versioned position may also be a version read from the source, so there
 *   only a hole (first version > after + 1) counts.
 */
export function missedSomething(after: string, bounds: StreamBounds, { versioned = false }: ReadOptions = {}): boolean {
  if (compareIds(after, bounds.lastId) > 0) return true;
  if (bounds.maxDeletedId !== LOG_START) return compareIds(after, bounds.maxDeletedId) < 0;
  if (after === LOG_START) return false;
  return versioned ? idVersion(after) < idVersion(bounds.firstId) - 1 : compareIds(after, bounds.firstId) < 0;
}

export interface ChangeLog {
  /** Appends once; the new entry's id, or null when it was a duplicate or stale. Every instance is told (`subscribe`). */
  append(stream: string, data: unknown, options: AppendOptions): Promise<string | null>;
  /** What came after `after` (`0-0`: from the start). */
  read<T = unknown>(stream: string, after: string, options?: ReadOptions): Promise<ReadResult<T>>;
  /** Id of the newest entry, `0-0` when there is none. */
  head(stream: string): Promise<string>;
  /** `listener(stream)` after any append to any stream, on every instance sharing the log. */
  subscribe(listener: (stream: string) => void): () => void;
  /** Resolves once appends made anywhere reach this instance's listeners. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const LOG_START = '0-0';

const parts = (id: string): [bigint, bigint] => {
  const [ms = '0', seq = '0'] = id.split('-');
  return [BigInt(ms), BigInt(seq)];
};

/** Orders stream ids numerically (`10-0` after `9-0`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

export const isStreamId = (id: string) => /^\d{1,20}-\d{1,20}$/.test(id);

export const versionId = (version: number) => `${version}-0`;
export const idVersion = (id: string) => Number(parts(id)[0]);
