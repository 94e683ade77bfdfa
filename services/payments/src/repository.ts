import type { Money } from '@shop/contracts/money';
import type { DbClient, Pool } from '@shop/platform/db';
import type { CheckedCard, Outcome } from './card.ts';

type Queryable = Pool | DbClient;

export interface StoredMethod {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  outcome: Outcome;
}

export type PaymentStatus = 'pending' | 'authorized' | 'declined' | 'voided';
/** `order-cancelled`: refused without asking the provider, the order being cancelled already. */
export type DeclineReason = 'declined' | 'timeout' | 'order-cancelled';
export type OrderOutcome = 'confirmed' | 'cancelled';

export interface Payment {
  id: string;
  orderId: string;
  paymentMethodId: string;
  amount: Money;
  status: PaymentStatus;
  declineReason: DeclineReason | null;
}

export async function insertPaymentMethod(db: Queryable, id: string, card: CheckedCard): Promise<StoredMethod> {
  await db.query(
    'INSERT INTO payment_methods (id, brand, last4, exp_month, exp_year, outcome) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, card.brand, card.last4, card.expMonth, card.expYear, card.outcome],
  );
  return { id, ...card };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored method, or undefined for an unknown id (including one that is not a uuid at all). */
export async function findPaymentMethod(db: Queryable, id: string): Promise<StoredMethod | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await db.query<StoredMethod>(
    `SELECT id, brand, last4, exp_month AS "expMonth", exp_year AS "expYear", outcome FROM payment_methods WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Takes the order's one payment for this transaction: true when it is new, false when the order
 * has a payment already. A concurrent claim for the same order waits here until the first commits.
 */
export async function claimPayment(db: DbClient, p: { id: string; orderId: string; paymentMethodId: string; amount: Money }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO payments (id, order_id, payment_method_id, amount, currency, status)
     VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (order_id) DO NOTHING`,
    [p.id, p.orderId, p.paymentMethodId, p.amount.amount, p.amount.currency],
  );
  return rowCount === 1;
}

const PAYMENT_COLUMNS = `id, order_id AS "orderId", payment_method_id AS "paymentMethodId",
  json_build_object('amount', amount, 'currency', currency) AS amount, status, decline_reason AS "declineReason"`;

/**
 * Serialises everything payments does for one order (a charge, a cancellation) until the transaction
 * ends, so a cancellation either comes first and refuses the charge or comes after and voids it.
 */
export async function lockOrder(db: DbClient, orderId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`payments/order/${orderId}`]);
}

/** Records how the order ended; the first outcome recorded stands, and is returned. */
export async function recordOrderOutcome(db: DbClient, orderId: string, status: OrderOutcome): Promise<OrderOutcome> {
  await db.query('INSERT INTO order_outcomes (order_id, status) VALUES ($1, $2) ON CONFLICT (order_id) DO NOTHING', [orderId, status]);
  return (await findOrderOutcome(db, orderId))!;
}

/** How the order ended, as far as payments has heard; undefined while it has not. */
export async function findOrderOutcome(db: Queryable, orderId: string): Promise<OrderOutcome | undefined> {
  const { rows } = await db.query<{ status: OrderOutcome }>('SELECT status FROM order_outcomes WHERE order_id = $1', [orderId]);
  return rows[0]?.status;
}

export async function findPaymentByOrder(db: Queryable, orderId: string): Promise<Payment | undefined> {
  const { rows } = await db.query<Payment>(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1`, [orderId]);
  return rows[0];
}

export async function settlePayment(db: DbClient, id: string, status: Exclude<PaymentStatus, 'pending'>, reason: DeclineReason | null): Promise<void> {
  await db.query('UPDATE payments SET status = $2, decline_reason = $3, updated_at = now() WHERE id = $1', [id, status, reason]);
}
