import type { StockLevel } from '@shop/contracts/api/inventory';
import { watchLimitError } from '@shop/platform/live-limits';
import { singleFlight } from '@shop/platform/single-flight';
import { streams, type WatchAck } from '../schemas/live.ts';
import { versionId } from './change-log.ts';
import { Cursor } from './cursor.ts';
import { deliver, type DeliveryContext } from './deliver.ts';
import type { Follower, Followers } from './followers.ts';

/** setTimeout's limit; a token valid for longer is re-checked at the next reconnect anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One app's socket: its user stream and the stock streams of the products it watches, each with a cursor
 * delivered one run at a time (a wake-up during a run makes exactly one more). Closed when its token expires.
 */
export class Connection implements Follower {
  private readonly cursors = new Map<string, Cursor>();
  private readonly expiry?: NodeJS.Timeout;
  /** Products of watch calls still in flight: counted against the limit before they are followed. */
  private reserved = 0;

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly followers: Followers,
    /** Products this socket may watch at once (LIVE_MAX_WATCHED_PER_SOCKET). */
    private readonly maxWatched: number,
  ) {
    const { socket } = ctx;
    const { expiresAt } = socket.data;
    if (expiresAt !== undefined) {
      const ms = Math.min(Math.max(0, expiresAt * 1000 - Date.now()), MAX_TIMER_MS);
      this.expiry = setTimeout(() => socket.disconnect(true), ms).unref();
    }
  }

  wake(stream: string): void {
    void this.cursors.get(stream)?.pump();
  }

  /**
   * Catches the user stream up from the handshake's position (or starts at its newest entry) and re-watches the
   * handshake's products, then says `sync`. Throws when the log could not be read: claiming to be caught up
   * then would lose changes, so the caller closes the socket and the app retries.
   */
  async connect(): Promise<void> {
    const { userId, since } = this.ctx.socket.data;
    const user = new Cursor(streams.user(userId), 'user', undefined, since?.user ?? null);
    // No position: start at the newest entry (set before following, so nothing older is ever sent).
    const snapshot = user.after === null;
    if (user.after === null) user.after = await this.ctx.log.head(user.stream);
    this.followCursor(user);
    const stock = since?.stock ?? {};
    const [, watched] = await Promise.all([user.pump(), this.watch(Object.keys(stock), stock)]);
    if (user.failed || 'error' in watched) throw new Error('could not catch up with the change log');
    user.initial = false;
    this.ctx.socket.emit('sync', { seq: user.after, snapshot: snapshot || user.gapSeen });
  }

  /** Follows the products' stock streams: a snapshot each, or the changes after `since[sku]` (a version). */
  async watch(skus: string[], since: Record<string, number> = {}): Promise<WatchAck> {
    const fresh = [...new Set(skus)].filter((sku) => !this.cursors.has(streams.stock(sku)));
    // Checked and reserved in one synchronous step: watch calls in flight (awaiting the prefetch below)
    // hold their places, so concurrent calls on one socket cannot pass the limit together.
    const overLimit = watchLimitError(this.stockCount() + this.reserved, fresh.length, this.maxWatched);
    if (overLimit) return overLimit;
    this.reserved += fresh.length;
    try {
      return await this.follow(fresh, since);
    } finally {
      this.reserved -= fresh.length;
    }
  }

  private async follow(fresh: string[], since: Record<string, number>): Promise<WatchAck> {
    const levels = await this.prefetch(fresh.filter((sku) => since[sku] === undefined));
    const cursors = fresh.map((sku) => {
      const cursor = new Cursor(streams.stock(sku), 'stock', sku, since[sku] !== undefined ? versionId(since[sku]) : null);
      if (levels && since[sku] === undefined) cursor.prefetched = levels.get(sku) ?? null;
      this.followCursor(cursor);
      return cursor;
    });
    await Promise.all(cursors.map((cursor) => cursor.pump()));
    if (cursors.some((cursor) => cursor.failed)) {
      for (const cursor of cursors) this.unfollow(cursor.stream);
      return { error: 'could not watch these products right now; try again' };
    }
    return { watching: this.stockCount() };
  }

  unwatch(skus: string[]): void {
    for (const sku of skus) this.unfollow(streams.stock(sku));
  }

  close(): void {
    clearTimeout(this.expiry);
    for (const stream of [...this.cursors.keys()]) this.unfollow(stream);
  }

  /** Stock of the products in one call; null when inventory failed (each snapshot asks again, or uses the log). */
  private async prefetch(skus: string[]): Promise<Map<string, StockLevel> | null> {
    if (skus.length === 0) return new Map();
    return this.ctx.stockLevels(skus).then(
      (found) => new Map(found.map((l) => [l.sku, l])),
      () => null,
    );
  }

  private followCursor(cursor: Cursor): void {
    const flight = singleFlight(
      async () => {
        try {
          await deliver(this.ctx, cursor);
          cursor.failed = false;
        } catch (err) {
          // The log or inventory failed: the next change, or the app's next reconnect, catches up from the same position.
          cursor.failed = true;
          this.ctx.logger.warn({ err, stream: cursor.stream }, 'live delivery failed; will catch up later');
        }
      },
      () => this.ctx.socket.connected && this.cursors.get(cursor.stream) === cursor,
    );
    cursor.pump = flight.wake;
    this.cursors.set(cursor.stream, cursor);
    this.followers.add(cursor.stream, this);
  }

  private unfollow(stream: string): void {
    this.cursors.delete(stream);
    this.followers.remove(stream, this);
  }

  private stockCount(): number {
    return this.cursors.size - 1; // all but the user stream
  }
}
