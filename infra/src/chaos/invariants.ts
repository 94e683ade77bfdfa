/**
 * The invariants each row of the chaos table checks, computed from rows read out of the run's own
 * databases and from what its clients saw. Pure: no I/O here, so every rule is unit-tested.
 */

export interface ProductRow { sku: string; price_amount: number }
export interface ListingRow { sku: string; price_amount: number | null; available: number | null }
export interface StockRow { sku: string; available: number; reserved: number }
export interface OrderRow { id: string; status: string; lines: { sku: string; quantity: number }[] }
export interface PaymentRow { order_id: string; status: string }

/** Order states the saga never leaves. */
export const FINAL_ORDER_STATES = ['confirmed', 'rejected', 'cancelled'];

/**
 * Read-model rows that differ from their sources: a listing whose price is not catalog's, whose stock is
 * not inventory's, or that is missing for a product. Returns how many SKUs are off.
 */
export function readModelDiffs(products: ProductRow[], listing: ListingRow[], stock: StockRow[]): number {
  const bySku = new Map(listing.map((l) => [l.sku, l]));
  const stockBySku = new Map(stock.map((s) => [s.sku, s.available]));
  let off = 0;
  for (const p of products) {
    const l = bySku.get(p.sku);
    const available = stockBySku.get(p.sku);
    if (!l || l.price_amount !== p.price_amount || (available !== undefined && l.available !== available)) off++;
  }
  return off;
}

/** Orders that are not in a final state. */
export const ordersNotFinal = (orders: OrderRow[]): number => orders.filter((o) => !FINAL_ORDER_STATES.includes(o.status)).length;

/**
 * Money taken for orders that are not confirmed: the order ids of payments still `authorized` (neither
 * voided nor refunded) whose order is not `confirmed`, including orders the orders service does not know.
 */
export function moneyTakenUnconfirmed(payments: PaymentRow[], orders: OrderRow[]): string[] {
  const status = new Map(orders.map((o) => [o.id, o.status]));
  return payments.filter((p) => p.status === 'authorized' && status.get(p.order_id) !== 'confirmed').map((p) => p.order_id);
}

/**
 * What a row adds to a state that earlier rows may already have broken: the entries of `now` that are not
 * in `before` (compared by `key`), so each row counts the damage done in its own window.
 */
export function newSince<T>(before: readonly T[], now: readonly T[], key: (item: T) => string = String): T[] {
  const seen = new Set(before.map(key));
  return now.filter((item) => !seen.has(key(item)));
}

/**
 * SKUs whose stock is not conserved: what confirmed orders sold, plus available, plus reserved, must equal
 * what was stocked (`stocked`, taken when the run set the SKU's level). Only SKUs in `stocked` are checked:
 * a `PUT /stock` re-stocks a SKU by definition. Returns the SKUs that are off, with the difference.
 */
export function stockNotConserved(stocked: Map<string, number>, stock: StockRow[], orders: OrderRow[]): { sku: string; diff: number }[] {
  const sold = new Map<string, number>();
  for (const o of orders) {
    if (o.status !== 'confirmed') continue;
    for (const line of o.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
  }
  const now = new Map(stock.map((s) => [s.sku, s]));
  const off: { sku: string; diff: number }[] = [];
  for (const [sku, expected] of stocked) {
    const s = now.get(sku);
    const diff = (sold.get(sku) ?? 0) + (s?.available ?? 0) + (s?.reserved ?? 0) - expected;
    if (diff !== 0) off.push({ sku, diff });
  }
  return off;
}

/** What one live client last showed for the watched product; `tracksPrice: false` for clients that get no price pushes. */
export interface LiveView { client: string; price?: number; available?: number; tracksPrice?: boolean }

/** Live clients whose last value is not the final one (price in minor units, stock level). */
export function liveClientsBehind(views: LiveView[], final: { price: number; available: number }): string[] {
  return views.filter((v) => (v.tracksPrice !== false && v.price !== final.price) || v.available !== final.available).map((v) => v.client);
}

/**
 * Whether a `/ready` body reports trouble: its `status` is not ok, or any check or loop in it has a state
 * (a string, or an object's `status`/`state`/`ok`) other than ok. Bodies are `{status, service, checks, loops}`.
 */
export function readyBodyReportsTrouble(body: unknown): boolean {
  if (!body || typeof body !== 'object') return true;
  const b = body as { status?: unknown; checks?: unknown; loops?: unknown };
  return troubleIn(b.status, 'status') || troubleIn(b.checks) || troubleIn(b.loops);
}

const OK_STATES = new Set(['ok', 'ready', 'up', 'healthy', 'running', 'idle', 'leader', 'leading', 'standby', 'follower', 'following', 'disabled']);
// A string under these keys is data (ids, times, the last error's text), not a state.
const DATA_KEY = /(^id$|At$|_at$|since|time|name|topic|group|error|reason|message|detail)/i;

function troubleIn(value: unknown, key = ''): boolean {
  if (typeof value === 'string') return (key === 'status' || key === 'state' || !DATA_KEY.test(key)) && !OK_STATES.has(value);
  if (typeof value === 'boolean') return (key === 'ok' || key === 'healthy') && !value;
  if (Array.isArray(value)) return value.some((v) => troubleIn(v, key));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => troubleIn(v, k));
  return false;
}

/** Operation counts of one kind during one fault's window. */
export interface OpCount { ok: number; failed: number }

/** One row of the chaos table. */
export interface FaultRow {
  fault: string;
  /** ms from the end of the fault to a system with every invariant holding; null if it never got there in time. */
  recoverMs: number | null;
  outboxPending: Record<string, number>;
  readModelDiffs: number;
  ordersNotFinal: number;
  moneyTaken: number;
  stockOff: number;
  liveBehind: string[];
  /** Did the parts tell the truth about themselves: null where this fault has nothing to ask. */
  readyBodyTruthful: boolean | null;
  readyStatusServing: boolean | null;
  healthTruthful: boolean | null;
  /** Fragment faults: a fresh page showed the slot's fallback (or the fragment) within the load budget. */
  fallbackShown: boolean | null;
  /** Parts that exited without the run signalling them. */
  crashes: string[];
  ops: Record<string, OpCount>;
  /** Extra facts worth a line under the table (e.g. which SKUs were off). */
  notes: string[];
}

/** The numbers of a row that must be zero (or true), as `name=value` for each that is not; empty is a pass. */
export function rowFailures(row: FaultRow): string[] {
  const failures: string[] = [];
  if (row.recoverMs === null) failures.push('recovered=no');
  const pending = Object.values(row.outboxPending).reduce((a, b) => a + b, 0);
  if (pending) failures.push(`outbox=${pending}`);
  if (row.readModelDiffs) failures.push(`read-model=${row.readModelDiffs}`);
  if (row.ordersNotFinal) failures.push(`not-final=${row.ordersNotFinal}`);
  if (row.moneyTaken) failures.push(`money-taken=${row.moneyTaken}`);
  if (row.stockOff) failures.push(`stock-off=${row.stockOff}`);
  if (row.liveBehind.length) failures.push(`live-behind=${row.liveBehind.length}`);
  if (row.readyBodyTruthful === false) failures.push('ready-body=lied');
  if (row.readyStatusServing === false) failures.push('ready-status=out');
  if (row.healthTruthful === false) failures.push('health=lied');
  if (row.fallbackShown === false) failures.push('fallback=none');
  if (row.crashes.length) failures.push(`crashed=${row.crashes.length}`);
  const total = Object.values(row.ops).reduce((a, c) => a + c.ok, 0);
  if (total === 0) failures.push('ops=0');
  return failures;
}
