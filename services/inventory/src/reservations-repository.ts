import type { StockLevel } from '@shop/contracts/api/inventory';
import type { ReservationRejectedData } from '@shop/contracts/events/inventory';
import type { DbClient, Pool } from '@shop/platform/db';

type Queryable = Pool | DbClient;

export type ReservationStatus = 'pending' | 'reserved' | 'rejected' | 'released' | 'committed' | 'cancelled';
export interface Line { sku: string; quantity: number }
export type Shortage = ReservationRejectedData['shortages'][number];

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  lines: Line[];
  shortages: Shortage[] | null;
}

const STOCK_COLUMNS = 'sku, available, reserved, version';
const RESERVATION_COLUMNS = 'order_id AS "orderId", status, lines, shortages';

/**
 * One line per SKU, sorted by SKU in byte order (`COLLATE "C"` in SQL): the order in which rows are
 * locked everywhere, so two transactions over the same SKUs never deadlock.
 */
export function normalizeLines(lines: readonly Line[]): Line[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Takes the order's row for this transaction. True when it was new; false when the order is known
 * already (the caller then locks and reads it). A concurrent claim of the same order waits here.
 */
export async function claimReservation(db: DbClient, orderId: string, status: ReservationStatus, lines: Line[]): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING',
    [orderId, status, JSON.stringify(lines)],
  );
  return rowCount === 1;
}

export async function lockReservation(db: DbClient, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<Reservation>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE order_id = $1 FOR UPDATE`, [orderId]);
  return rows[0];
}

export async function findReservation(db: Queryable, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<Reservation>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE order_id = $1`, [orderId]);
  return rows[0];
}

export async function setReservationStatus(db: DbClient, orderId: string, status: ReservationStatus, shortages?: Shortage[]): Promise<void> {
  await db.query(
    'UPDATE reservations SET status = $2, shortages = COALESCE($3, shortages), updated_at = now() WHERE order_id = $1',
    [orderId, status, shortages ? JSON.stringify(shortages) : null],
  );
}

export type ReserveResult = { reserved: StockLevel[] } | { shortages: Shortage[] };

/**
 * Holds every line or none. The SKUs' rows are locked in SKU order first, so the check and the
 * update see the same numbers; each update still refuses to go below zero on its own (and the
 * table's CHECK would refuse it too). A SKU the shop does not stock is a shortage with 0 available.
 */
export async function reserveAll(db: DbClient, lines: Line[]): Promise<ReserveResult> {
  const sorted = normalizeLines(lines);
  const { rows } = await db.query<StockLevel>(
    `SELECT ${STOCK_COLUMNS} FROM stock WHERE sku = ANY($1) ORDER BY sku COLLATE "C" FOR UPDATE`,
    [sorted.map((l) => l.sku)],
  );
  const available = new Map(rows.map((r) => [r.sku, r.available]));
  const shortages = sorted
    .filter((l) => (available.get(l.sku) ?? 0) < l.quantity)
    .map((l) => ({ sku: l.sku, requested: l.quantity, available: available.get(l.sku) ?? 0 }));
  if (shortages.length > 0) return { shortages };

  const reserved: StockLevel[] = [];
  for (const { sku, quantity } of sorted) {
    const { rows: updated } = await db.query<StockLevel>(
      `UPDATE stock SET available = available - $2, reserved = reserved + $2, version = version + 1, updated_at = now()
       WHERE sku = $1 AND available >= $2 RETURNING ${STOCK_COLUMNS}`,
      [sku, quantity],
    );
    // Cannot happen while the rows are locked; throwing rolls back every line taken so far.
    if (!updated[0]) throw new Error(`stock of ${sku} changed under a lock`);
    reserved.push(updated[0]);
  }
  return { reserved };
}

/** Gives held lines back to `available`. */
export const releaseAll = (db: DbClient, lines: Line[]) =>
  moveEach(db, lines, 'available = available + $2, reserved = reserved - $2');

/** Turns held lines into a sale: they leave `reserved` and do not come back. */
export const commitAll = (db: DbClient, lines: Line[]) => moveEach(db, lines, 'reserved = reserved - $2');

async function moveEach(db: DbClient, lines: Line[], set: string): Promise<StockLevel[]> {
  const levels: StockLevel[] = [];
  for (const { sku, quantity } of normalizeLines(lines)) {
    const { rows } = await db.query<StockLevel>(
      `UPDATE stock SET ${set}, version = version + 1, updated_at = now()
       WHERE sku = $1 AND reserved >= $2 RETURNING ${STOCK_COLUMNS}`,
      [sku, quantity],
    );
    if (!rows[0]) throw new Error(`stock of ${sku} holds fewer than ${quantity} reserved units`);
    levels.push(rows[0]);
  }
  return levels;
}
