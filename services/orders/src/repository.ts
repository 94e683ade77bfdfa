import type { Order, OrderLine, OrderStatus, OrderStep, ShippingAddress } from '@shop/contracts/api/orders';
import type { Money } from '@shop/contracts/money';
import type { DbClient, Pool } from '@shop/platform/db';

type Queryable = Pool | DbClient;

/** An order as the saga works with it (the API's `Order` adds the history). */
export interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  reason: string | null;
  lines: OrderLine[];
  total: Money;
  shippingAddress: ShippingAddress;
  paymentMethodId: string;
  version: number;
  createdAt: Date;
}

export interface NewOrder {
  id: string;
  customerId: string;
  idempotencyKey: string;
  lines: OrderLine[];
  total: Money;
  shippingAddress: ShippingAddress;
  paymentMethodId: string;
}

const COLUMNS = `id, customer_id AS "customerId", status, reason, lines,
  json_build_object('amount', total_amount, 'currency', currency) AS total,
  shipping_address AS "shippingAddress", payment_method_id AS "paymentMethodId", version, created_at AS "createdAt"`;

/** `now()` plus a step's time limit, or no deadline (`null`) once the order is final. */
const DEADLINE = `CASE WHEN $DL::integer IS NULL THEN NULL ELSE now() + $DL::integer * interval '1 millisecond' END`;
const deadline = (param: number) => DEADLINE.replaceAll('$DL', `$${param}`);

/**
 * Inserts the order unless this customer already has one under the same idempotency key; true when
 * inserted. A concurrent insert with the same key waits for the first to commit, then inserts nothing.
 */
export async function insertOrder(db: DbClient, order: NewOrder, deadlineMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO orders (id, customer_id, idempotency_key, status, lines, total_amount, currency, shipping_address, payment_method_id, deadline_at)
     VALUES ($1, $2, $3, 'placed', $4, $5, $6, $7, $8, ${deadline(9)})
     ON CONFLICT (customer_id, idempotency_key) DO NOTHING`,
    [order.id, order.customerId, order.idempotencyKey, JSON.stringify(order.lines), order.total.amount, order.total.currency,
      JSON.stringify(order.shippingAddress), order.paymentMethodId, deadlineMs],
  );
  if (rowCount !== 1) return false;
  await appendHistory(db, order.id, 1, 'placed', null);
  return true;
}

export async function findOrderIdByKey(db: Queryable, customerId: string, idempotencyKey: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM orders WHERE customer_id = $1 AND idempotency_key = $2', [customerId, idempotencyKey]);
  return rows[0]?.id;
}

/** The order, locked until the transaction ends, so its status cannot change under the caller. */
export async function lockOrder(db: DbClient, id: string): Promise<OrderRow | undefined> {
  const { rows } = await db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

/**
 * Moves an order from `from` to `to`, bumping its version and recording the step in its history.
 * Undefined (and nothing changed) when the order is not in `from` any more.
 */
export async function changeStatus(
  db: DbClient,
  id: string,
  change: { from: OrderStatus; to: OrderStatus; reason?: string; deadlineMs: number | null },
): Promise<OrderRow | undefined> {
  const { rows } = await db.query<OrderRow>(
    `UPDATE orders SET status = $3, reason = $4, version = version + 1, updated_at = now(), deadline_at = ${deadline(5)}
     WHERE id = $1 AND status = $2 RETURNING ${COLUMNS}`,
    [id, change.from, change.to, change.reason ?? null, change.deadlineMs],
  );
  const order = rows[0];
  if (order) await appendHistory(db, id, order.version, order.status, order.reason);
  return order;
}

/** Gives the current step more time without changing the order. */
export async function postponeDeadline(db: Queryable, id: string, deadlineMs: number | null): Promise<void> {
  await db.query(`UPDATE orders SET deadline_at = ${deadline(2)} WHERE id = $1`, [id, deadlineMs]);
}

/**
 * The most overdue order nobody else is handling, locked. SKIP LOCKED lets several instances sweep
 * at once without taking the same order, and skips an order a consumer is moving right now.
 */
export async function lockNextOverdue(db: DbClient): Promise<OrderRow | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders WHERE deadline_at <= now() ORDER BY deadline_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return rows[0];
}

/**
 * Records a compensation (`step`) on the order's timeline without changing its status: bumps the
 * version (live views take the update) and appends the step with `reason`. Undefined, and nothing
 * changed, for an unknown order or one whose timeline has the step already.
 */
export async function recordStep(db: DbClient, id: string, step: OrderStep, reason: string): Promise<OrderRow | undefined> {
  const { rows } = await db.query<OrderRow>(
    `UPDATE orders SET version = version + 1, updated_at = now()
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM order_history WHERE order_id = $1 AND step = $2) RETURNING ${COLUMNS}`,
    [id, step],
  );
  const order = rows[0];
  if (order) await appendHistory(db, id, order.version, order.status, reason, step);
  return order;
}

async function appendHistory(db: DbClient, id: string, version: number, status: OrderStatus, reason: string | null, step: OrderStep | null = null): Promise<void> {
  await db.query(
    'INSERT INTO order_history (order_id, version, status, reason, step) VALUES ($1, $2, $3, $4, $5)',
    [id, version, status, reason, step],
  );
}

/** The customer's order with its history; undefined for an unknown id or someone else's order. */
export async function findOrder(db: Queryable, id: string, customerId?: string): Promise<Order | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders WHERE id = $1 AND ($2::text IS NULL OR customer_id = $2)`,
    [id, customerId ?? null],
  );
  return (await withHistory(db, rows))[0];
}

/** The customer's orders, newest first. */
export async function listOrders(db: Queryable, customerId: string, limit: number): Promise<Order[]> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [customerId, limit],
  );
  return withHistory(db, rows);
}

async function withHistory(db: Queryable, orders: OrderRow[]): Promise<Order[]> {
  if (orders.length === 0) return [];
  const { rows } = await db.query<{ orderId: string; status: OrderStatus; reason: string | null; at: Date; step: OrderStep | null }>(
    'SELECT order_id AS "orderId", status, reason, at, step FROM order_history WHERE order_id = ANY($1) ORDER BY order_id, version',
    [orders.map((o) => o.id)],
  );
  return orders.map((o) => ({
    id: o.id,
    customerId: o.customerId,
    status: o.status,
    ...(o.reason ? { reason: o.reason } : {}),
    lines: o.lines,
    total: o.total,
    shippingAddress: o.shippingAddress,
    history: rows
      .filter((h) => h.orderId === o.id)
      .map((h) => ({ status: h.status, at: h.at.toISOString(), ...(h.reason ? { reason: h.reason } : {}), ...(h.step ? { step: h.step } : {}) })),
    createdAt: o.createdAt.toISOString(),
    version: o.version,
  }));
}
