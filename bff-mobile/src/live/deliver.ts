import type { FastifyBaseLogger } from 'fastify';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { stockStatus } from '@shop/platform/stock-status';
import type { StockMessage, UserChange } from '../schemas/live.ts';
import { idVersion, LOG_START, versionId, type ChangeLog, type LogEntry } from './change-log.ts';
import type { Cursor } from './cursor.ts';
import type { MobileSocket } from './socket-types.ts';

/** What a delivery reads from and writes to. */
export interface DeliveryContext {
  socket: MobileSocket;
  log: ChangeLog;
  /** Current stock of products (inventory), for snapshots. */
  stockLevels(skus: string[]): Promise<StockLevel[]>;
  logger: FastifyBaseLogger;
}

const toStockMessage = (level: Pick<StockLevel, 'sku' | 'available' | 'version'>): StockMessage => ({
  sku: level.sku,
  available: level.available,
  status: stockStatus(level.available),
  version: level.version,
});

/**
 * Sends the socket what its cursor's stream holds after the cursor's position, and moves the position.
 * A gap (changes the log no longer has) becomes a snapshot. Throws when the log or inventory fails;
 * the position then stays where it was.
 */
export const deliver = (ctx: DeliveryContext, cursor: Cursor): Promise<void> =>
  cursor.kind === 'user' ? deliverUser(ctx, cursor) : deliverStock(ctx, cursor);

async function deliverUser({ socket, log }: DeliveryContext, cursor: Cursor) {
  const result = await log.read<UserChange>(cursor.stream, cursor.after ?? LOG_START);
  if (result.kind === 'entries') {
    for (const entry of result.entries) emitUser(socket, cursor, entry);
    return;
  }
  cursor.after = await log.head(cursor.stream);
  if (cursor.initial) cursor.gapSeen = true;
  else socket.emit('sync', { seq: cursor.after, snapshot: true });
}

function emitUser(socket: MobileSocket, cursor: Cursor, { id: seq, data }: LogEntry<UserChange>) {
  if (data.kind === 'cart') socket.emit('cart:changed', { seq, itemCount: data.itemCount, version: data.version });
  else socket.emit('order:status', { seq, orderId: data.orderId, status: data.status, ...(data.reason ? { reason: data.reason } : {}), version: data.version });
  cursor.after = seq;
}

async function deliverStock(ctx: DeliveryContext, cursor: Cursor) {
  // Twice at most: a snapshot, then whatever the log holds beyond it.
  for (let round = 0; round < 2; round++) {
    if (cursor.after === null) {
      await snapshotStock(ctx, cursor, -1, null);
      if (cursor.after === null) return; // nothing known of this product yet
    }
    const result = await ctx.log.read<StockMessage>(cursor.stream, cursor.after, { versioned: true });
    if (result.kind === 'entries') {
      for (const entry of result.entries) emitStock(ctx.socket, cursor, entry.data);
      return;
    }
    await snapshotStock(ctx, cursor, idVersion(cursor.after), result.latest);
  }
}

function emitStock(socket: MobileSocket, cursor: Cursor, message: StockMessage, snapshot = false) {
  if (cursor.after !== null && message.version <= idVersion(cursor.after)) return; // seen it
  socket.emit('stock:changed', snapshot ? { ...message, snapshot: true } : message);
  cursor.after = versionId(message.version);
}

/** The current level, from inventory (the authority) or else the newest the log holds, if newer than `since`. */
async function snapshotStock({ socket, log, stockLevels, logger }: DeliveryContext, cursor: Cursor, since: number, latest: LogEntry<StockMessage> | null) {
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
  if (message.version > since) emitStock(socket, cursor, message, true);
  else cursor.after = versionId(since);
}
