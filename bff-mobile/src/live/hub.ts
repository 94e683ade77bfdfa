import type { FastifyBaseLogger } from 'fastify';
import { decodeJwt } from 'jose';
import type { Namespace, Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { AuthUnavailableError, InvalidTokenError, type TokenVerifier } from '@shop/platform/auth';
import type { ProblemCode } from '../errors.ts';
import { explain } from '@shop/platform/explain';
import { watchLimitError } from '@shop/platform/live-limits';
import { stockStatus } from '@shop/platform/stock-status';
import {
  LiveHandshake,
  UnwatchRequest,
  WatchRequest,
  streams,
  type MobileClientEvents,
  type MobileServerEvents,
  type StockMessage,
  type UserChange,
  type WatchAck,
} from '../schemas/live.ts';
import type { Problem } from '../schemas/problem.ts';
import { idVersion, LOG_START, versionId, type ChangeLog, type LogEntry } from './change-log.ts';

interface SocketData {
  userId: string;
  since: LiveHandshake['since'];
  /** Access-token expiry (unix seconds): the socket is closed then, and the app reconnects with a fresh token. */
  expiresAt?: number;
}

export type MobileNamespace = Namespace<MobileClientEvents, MobileServerEvents, Record<string, never>, SocketData>;
type MobileSocket = Socket<MobileClientEvents, MobileServerEvents, Record<string, never>, SocketData>;

export interface LiveHubOptions {
  nsp: MobileNamespace;
  log: ChangeLog;
  verifier: TokenVerifier;
  /** Current stock of products (inventory), for snapshots. */
  stockLevels(skus: string[]): Promise<StockLevel[]>;
  logger: FastifyBaseLogger;
  problem(code: ProblemCode, detail: string): Problem;
}

const isHandshake = Compile(LiveHandshake);
const isWatchRequest = Compile(WatchRequest);
const isUnwatchRequest = Compile(UnwatchRequest);
/** setTimeout's limit; a token valid for longer is re-checked at the next reconnect anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const toStockMessage = (level: Pick<StockLevel, 'sku' | 'available' | 'version'>): StockMessage => ({
  sku: level.sku,
  available: level.available,
  status: stockStatus(level.available),
  version: level.version,
});

/** One stream as one socket follows it: the last position delivered, and a single-flight pump. */
class Cursor {
  running?: Promise<void>;
  again = false;
  /** User stream: still catching up after connect (gaps are reported in the `sync` that follows). */
  initial = true;
  gapSeen = false;
  /** The last delivery failed (the log or inventory did not answer): the position is where it was. */
  failed = false;
  /** Stock level fetched in a batch when the product was watched; used once, by the first snapshot. */
  prefetched?: StockLevel | null;

  constructor(
    readonly stream: string,
    readonly kind: 'stock' | 'user',
    readonly sku: string | undefined,
    /** Position delivered so far; null: none yet (a snapshot comes first). */
    public after: string | null,
  ) {}
}

/**
 * The `/m` namespace: authenticates each app by the token in its handshake, follows its user stream (cart
 * and order changes) and the stock streams of the products it watches, and delivers every change from the
 * change log, in order, once. Live delivery and resuming are the same path — read the log after the
 * socket's position — so a change can neither be skipped nor sent twice, whichever instance logged it.
 */
export function attachLiveHub({ nsp, log, verifier, stockLevels, logger, problem }: LiveHubOptions): { close(): void } {
  const following = new Map<string, Set<Connection>>();

  const connectError = (code: ProblemCode, detail: string) => Object.assign(new Error(detail), { data: problem(code, detail) });

  class Connection {
    readonly cursors = new Map<string, Cursor>();
    private expiry?: NodeJS.Timeout;

    constructor(readonly socket: MobileSocket) {
      const { expiresAt } = socket.data;
      if (expiresAt !== undefined) {
        const ms = Math.min(Math.max(0, expiresAt * 1000 - Date.now()), MAX_TIMER_MS);
        this.expiry = setTimeout(() => socket.disconnect(true), ms).unref();
      }
    }

    follow(cursor: Cursor) {
      this.cursors.set(cursor.stream, cursor);
      let set = following.get(cursor.stream);
      if (!set) following.set(cursor.stream, (set = new Set()));
      set.add(this);
    }

    unfollow(stream: string) {
      this.cursors.delete(stream);
      const set = following.get(stream);
      set?.delete(this);
      if (set?.size === 0) following.delete(stream);
    }

    /** Single flight per cursor: a wake-up during a run makes exactly one more run. */
    pump(cursor: Cursor): Promise<void> {
      if (cursor.running) {
        cursor.again = true;
        return cursor.running;
      }
      cursor.running = (async () => {
        cursor.failed = false;
        try {
          do {
            cursor.again = false;
            await (cursor.kind === 'user' ? this.deliverUser(cursor) : this.deliverStock(cursor));
          } while (cursor.again && this.socket.connected && this.cursors.get(cursor.stream) === cursor);
        } catch (err) {
          // The log or inventory failed: the next change, or the app's next reconnect, catches up from the same position.
          cursor.failed = true;
          logger.warn({ err, stream: cursor.stream }, 'live delivery failed; will catch up later');
        } finally {
          // Cleared in the same step as the last check of `again`: a wake-up can never fall between the two.
          cursor.running = undefined;
        }
      })();
      return cursor.running;
    }

    private async deliverUser(cursor: Cursor) {
      const result = await log.read<UserChange>(cursor.stream, cursor.after ?? LOG_START);
      if (result.kind === 'entries') {
        for (const entry of result.entries) this.emitUser(cursor, entry);
        return;
      }
      cursor.after = await log.head(cursor.stream);
      if (cursor.initial) cursor.gapSeen = true;
      else this.socket.emit('sync', { seq: cursor.after, snapshot: true });
    }

    private emitUser(cursor: Cursor, { id: seq, data }: LogEntry<UserChange>) {
      if (data.kind === 'cart') this.socket.emit('cart:changed', { seq, itemCount: data.itemCount, version: data.version });
      else this.socket.emit('order:status', { seq, orderId: data.orderId, status: data.status, ...(data.reason ? { reason: data.reason } : {}), version: data.version });
      cursor.after = seq;
    }

    private async deliverStock(cursor: Cursor) {
      // Twice at most: a snapshot, then whatever the log holds beyond it.
      for (let round = 0; round < 2; round++) {
        if (cursor.after === null) {
          await this.snapshotStock(cursor, -1, null);
          if (cursor.after === null) return; // nothing known of this product yet
        }
        const result = await log.read<StockMessage>(cursor.stream, cursor.after, { versioned: true });
        if (result.kind === 'entries') {
          for (const entry of result.entries) this.emitStock(cursor, entry.data);
          return;
        }
        await this.snapshotStock(cursor, idVersion(cursor.after), result.latest);
      }
    }

    private emitStock(cursor: Cursor, message: StockMessage, snapshot = false) {
      if (cursor.after !== null && message.version <= idVersion(cursor.after)) return; // seen it
      this.socket.emit('stock:changed', snapshot ? { ...message, snapshot: true } : message);
      cursor.after = versionId(message.version);
    }

    /** The current level, from inventory (the authority) or else the newest the log holds, if newer than `since`. */
    private async snapshotStock(cursor: Cursor, since: number, latest: LogEntry<StockMessage> | null) {
      let level = cursor.prefetched;
      cursor.prefetched = undefined;
      if (level === undefined) {
        level = await stockLevels([cursor.sku!]).then(
          (levels) => levels[0] ?? null,
          (err: unknown) => {
            logger.warn({ err, sku: cursor.sku }, 'stock snapshot from inventory failed; using the change log');
            return null;
          },
        );
      }
      let newest = latest?.data ?? null;
      if (!newest && !level) {
        const kept = await log.read<StockMessage>(cursor.stream, LOG_START);
        newest = (kept.kind === 'entries' ? kept.entries.at(-1) : kept.latest)?.data ?? null;
      }
      const current = level ? toStockMessage(level) : null;
      const message = current && (!newest || current.version >= newest.version) ? current : newest;
      if (!message) return;
      if (message.version > since) this.emitStock(cursor, message, true);
      else cursor.after = versionId(since);
    }

    async connect() {
      const { userId, since } = this.socket.data;
      const user = new Cursor(streams.user(userId), 'user', undefined, since?.user ?? null);
      // No position: start at the newest entry (set before following, so nothing older is ever sent).
      const snapshot = user.after === null;
      if (user.after === null) user.after = await log.head(user.stream);
      this.follow(user);
      const stock = since?.stock ?? {};
      const [, watched] = await Promise.all([this.pump(user), this.watch(Object.keys(stock), stock)]);
      // Claiming to be caught up when the log could not be read would lose changes: let the app retry instead.
      if (user.failed || 'error' in watched) throw new Error('could not catch up with the change log');
      user.initial = false;
      this.socket.emit('sync', { seq: user.after, snapshot: snapshot || user.gapSeen });
    }

    async watch(skus: string[], since: Record<string, number> = {}): Promise<WatchAck> {
      const fresh = [...new Set(skus)].filter((sku) => !this.cursors.has(streams.stock(sku)));
      const overLimit = watchLimitError(this.stockCount(), fresh.length);
      if (overLimit) return overLimit;
      const unknownVersion = fresh.filter((sku) => since[sku] === undefined);
      const levels =
        unknownVersion.length === 0
          ? new Map<string, StockLevel>()
          : await stockLevels(unknownVersion).then(
              (found) => new Map(found.map((l) => [l.sku, l])),
              () => null, // each snapshot asks again, or falls back to the log
            );
      const cursors = fresh.map((sku) => {
        const cursor = new Cursor(streams.stock(sku), 'stock', sku, since[sku] !== undefined ? versionId(since[sku]) : null);
        if (levels && since[sku] === undefined) cursor.prefetched = levels.get(sku) ?? null;
        this.follow(cursor);
        return cursor;
      });
      await Promise.all(cursors.map((cursor) => this.pump(cursor)));
      if (cursors.some((cursor) => cursor.failed)) {
        for (const cursor of cursors) this.unfollow(cursor.stream);
        return { error: 'could not watch these products right now; try again' };
      }
      return { watching: this.stockCount() };
    }

    unwatch(skus: string[]) {
      for (const sku of skus) this.unfollow(streams.stock(sku));
    }

    private stockCount() {
      return this.cursors.size - 1; // all but the user stream
    }

    close() {
      clearTimeout(this.expiry);
      for (const stream of [...this.cursors.keys()]) this.unfollow(stream);
    }
  }

  const unsubscribe = log.subscribe((stream) => {
    for (const connection of following.get(stream) ?? []) {
      const cursor = connection.cursors.get(stream);
      if (cursor) void connection.pump(cursor);
    }
  });

  nsp.use(async (socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) {
      return next(connectError('MOBILE_UNAUTHORIZED', 'Connect with auth: {token: <accessToken>}'));
    }
    if (!isHandshake.Check(auth)) return next(connectError('MOBILE_VALIDATION_FAILED', `Handshake auth is invalid: ${explain(isHandshake, auth)}`));
    try {
      const user = await verifier.verify(token);
      const { exp } = decodeJwt(token);
      socket.data = { userId: user.userId, since: auth.since, expiresAt: exp };
      next();
    } catch (err) {
      if (err instanceof InvalidTokenError) return next(connectError('MOBILE_UNAUTHORIZED', 'The access token is not valid'));
      if (err instanceof AuthUnavailableError) return next(connectError('MOBILE_SERVICE_UNAVAILABLE', 'Sign-in is unavailable right now'));
      logger.error({ err }, 'live handshake failed');
      return next(connectError('MOBILE_INTERNAL', 'Something went wrong on our side'));
    }
  });

  nsp.on('connection', (socket) => {
    const connection = new Connection(socket);
    socket.on('disconnect', () => connection.close());
    socket.on('watch', (request, ack) => {
      const answer = typeof ack === 'function' ? ack : () => undefined;
      if (!isWatchRequest.Check(request)) {
        answer({ error: `watch takes {skus: [at most 100 SKUs], since?: {SKU: version}}: ${explain(isWatchRequest, request)}` });
        return;
      }
      connection.watch(request.skus, request.since).then(answer, (err: unknown) => {
        logger.warn({ err }, 'watch failed');
        answer({ error: 'could not watch these products right now; try again' });
      });
    });
    socket.on('unwatch', (skus) => {
      if (isUnwatchRequest.Check(skus)) connection.unwatch(skus);
    });
    connection.connect().catch((err: unknown) => {
      logger.warn({ err, userId: socket.data.userId }, 'live connection could not catch up; closing it so the app reconnects');
      socket.disconnect(true);
    });
  });

  return { close: unsubscribe };
}
