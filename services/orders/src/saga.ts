import { randomUUID } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CurrentPrice } from '@shop/contracts/api/catalog';
import type { Order, OrderLine, OrderStatus, PlaceOrderBody } from '@shop/contracts/api/orders';
import type { ReservationRejectedData } from '@shop/contracts/events/inventory';
import type { PaymentDeclinedData, PaymentVoidedData } from '@shop/contracts/events/payments';
import type { CloudEvent, EventContract } from '@shop/contracts/envelope';
import { withTransaction, type DbClient, type Pool } from '@shop/platform/db';
import { handler, type EventHandler } from '@shop/platform/event-handlers';
import type { KafkaLogger } from '@shop/platform/kafka/client';
import { duplicateSku, productNotInCatalog, productNotPriced, totalTooLarge } from './errors.ts';
import { orderCancelled, orderConfirmed, orderPlaced, paymentRequested, statusChanged } from './events/publish.ts';
import {
  changeStatus, findOrder, findOrderIdByKey, insertOrder, lockOrder, postponeDeadline, recordStep, type OrderRow,
} from './repository.ts';

/**
 * The checkout saga, run by orders (the orchestrator); the diagram is in the README.
 *   placed   --stock.reserved-->       reserved  (asks payments: order.payment.requested)
 *   placed   --reservation.rejected--> rejected
 *   reserved --payment.authorized-->   paid      (asks inventory to commit: order.confirmed)
 *   reserved --payment.declined-->     cancelled (asks inventory to release: order.cancelled)
 *   paid     --stock.committed-->      confirmed
 * Every move is guarded by the status it leaves (the order's row is locked while it is checked), bumps
 * the version, appends to the history and emits order.status.changed, all in one transaction with the
 * follow-up event. A late or repeated answer finds the order elsewhere and changes nothing.
 */

export interface SagaContext {
  /** Orders' own topic, behind the configured prefix. */
  topic: string;
  /** How long the order may wait for one answer. */
  stepTimeoutMs: number;
  log: KafkaLogger;
}

/** Order ids are uuids here; an answer about anything else cannot be about one of our orders. */
const isOrderId = Compile(Type.Object({ orderId: Type.String({ format: 'uuid' }) }));

/**
 * The handler of one answer to the saga: `step` runs at most once per event, in the consumer's
 * transaction. An answer that names no order of ours is skipped (logged), not dead-lettered.
 */
export function sagaStep<C extends EventContract>(
  ctx: SagaContext,
  contract: C,
  step: (db: DbClient, data: Static<C['data']>) => Promise<void>,
): EventHandler<DbClient> {
  const skip = (event: CloudEvent) => {
    if (isOrderId.Check(event.data)) return false;
    ctx.log.warn({ type: event.type, id: event.id }, 'saga answer names no order of ours; ignored');
    return true;
  };
  return handler(contract, (data, _event, db: DbClient) => step(db, data), { skip });
}

/** Why an order did not go through, in words for the shopper. */
export const Reasons = {
  declined: 'Your card was declined.',
  providerTimeout: 'The payment provider did not answer in time.',
  inventoryTimeout: 'Inventory did not answer in time, so nothing was reserved or charged.',
  paymentTimeout: 'The payment did not go through in time, so nothing was charged.',
  paymentVoided: 'A payment that went through after the order was cancelled has been voided: no money was taken.',
} as const;

/** Money's largest amount (contracts/money.ts). */
const MAX_AMOUNT = 100_000_000;
const FINAL: ReadonlySet<OrderStatus> = new Set(['confirmed', 'rejected', 'cancelled']);

export interface Placed {
  order: Order;
  /** True when the idempotency key had placed this order before: nothing new happened. */
  replayed: boolean;
}

/** What prices an order: the catalog's current prices (its `GET /prices`); unknown SKUs are left out. */
export type PriceSource = (skus: readonly string[]) => Promise<readonly CurrentPrice[]>;

/**
 * Prices the lines (integer minor units) from `prices`, the catalog's current ones, never from what the
 * caller sent: a line the catalog does not sell, or sells for 0, is refused (409 naming its SKU). Also
 * refuses a SKU listed twice and a total no Money can hold.
 */
export function priceLines(lines: PlaceOrderBody['lines'], prices: readonly CurrentPrice[]): { lines: OrderLine[]; total: OrderRow['total'] } {
  const bySku = new Map(prices.map((p) => [p.sku, p]));
  const seen = new Set<string>();
  let total = 0;
  const priced = lines.map((line, i) => {
    if (seen.has(line.sku)) throw duplicateSku(i, line.sku);
    seen.add(line.sku);
    const current = bySku.get(line.sku);
    if (!current) throw productNotInCatalog(i, line.sku);
    if (current.price.amount <= 0) throw productNotPriced(i, line.sku, current.name);
    const amount = line.quantity * current.price.amount;
    total += amount;
    return { sku: line.sku, name: current.name, quantity: line.quantity, unitPrice: current.price, lineTotal: { amount, currency: current.price.currency } };
  });
  if (total > MAX_AMOUNT) throw totalTooLarge(MAX_AMOUNT);
  return { lines: priced, total: { amount: total, currency: 'EUR' } };
}

/**
 * Starts the saga: prices the lines from `prices` (throws an HttpError 409 for a line that cannot be sold), then
 * the order and order.placed commit together, once per customer and idempotency key.
 */
export async function placeOrder(pool: Pool, ctx: SagaContext, body: PlaceOrderBody, prices: PriceSource): Promise<Placed> {
  const { lines, total } = priceLines(body.lines, await prices(body.lines.map((l) => l.sku)));
  const placedId = await withTransaction(pool, async (db) => {
    const order = {
      id: randomUUID(), customerId: body.customerId, idempotencyKey: body.idempotencyKey,
      lines, total, shippingAddress: body.shippingAddress, paymentMethodId: body.paymentMethodId,
    };
    if (!(await insertOrder(db, order, ctx.stepTimeoutMs))) return undefined;
    const row: OrderRow = { ...order, status: 'placed', reason: null, version: 1, createdAt: new Date() };
    await orderPlaced(db, ctx.topic, row);
    await statusChanged(db, ctx.topic, row);
    return order.id;
  });
  const id = placedId ?? (await findOrderIdByKey(pool, body.customerId, body.idempotencyKey));
  const order = id ? await findOrder(pool, id) : undefined;
  if (!order) throw new Error(`order for idempotency key ${body.idempotencyKey} vanished`);
  return { order, replayed: placedId === undefined };
}

/** Moves a locked order on; undefined when it is not in `from` (a late or repeated answer). */
async function move(db: DbClient, ctx: SagaContext, order: OrderRow | undefined, from: OrderStatus, to: OrderStatus, reason?: string) {
  if (order?.status !== from) return undefined;
  const moved = await changeStatus(db, order.id, { from, to, reason, deadlineMs: FINAL.has(to) ? null : ctx.stepTimeoutMs });
  if (moved) await statusChanged(db, ctx.topic, moved);
  return moved;
}

/** Answer from inventory, positive: ask payments to charge. */
export async function onStockReserved(db: DbClient, ctx: SagaContext, orderId: string): Promise<void> {
  const order = await move(db, ctx, await lockOrder(db, orderId), 'placed', 'reserved');
  if (order) await paymentRequested(db, ctx.topic, order);
}

/** Answer from inventory, negative: nothing is held, so nothing needs releasing. */
export async function onReservationRejected(db: DbClient, ctx: SagaContext, { orderId, shortages }: ReservationRejectedData): Promise<void> {
  const order = await lockOrder(db, orderId);
  if (!order) return;
  await move(db, ctx, order, 'placed', 'rejected', shortageReason(order.lines, shortages));
}

/** "Not enough stock: Chef Knife (2 left), Bread Knife (none left)", with the names the order was placed with. */
export function shortageReason(lines: readonly Pick<OrderLine, 'sku' | 'name'>[], shortages: ReservationRejectedData['shortages']): string {
  const names = new Map(lines.map((l) => [l.sku, l.name]));
  const parts = shortages.map((s) => `${names.get(s.sku) ?? s.sku} (${s.available > 0 ? s.available : 'none'} left)`);
  return `Not enough stock: ${parts.join(', ')}`;
}

/** The card was charged: ask inventory to turn the reservation into a sale. */
export async function onPaymentAuthorized(db: DbClient, ctx: SagaContext, orderId: string): Promise<void> {
  const locked = await lockOrder(db, orderId);
  const order = await move(db, ctx, locked, 'reserved', 'paid');
  if (order) {
    await orderConfirmed(db, ctx.topic, order);
  } else if (locked && (locked.status === 'cancelled' || locked.status === 'rejected')) {
    // The order gave up waiting before the charge went through; payments voids it when it sees order.cancelled.
    ctx.log.warn({ orderId, status: locked.status }, 'payment authorized for an order already given up; payments will void it');
  }
}

/** Payments voided a late authorization (its compensation): the timeline says so; the status stays. */
export async function onPaymentVoided(db: DbClient, ctx: SagaContext, { orderId, paymentId }: PaymentVoidedData): Promise<void> {
  if (!(await lockOrder(db, orderId))) return;
  const order = await recordStep(db, orderId, 'payment.voided', Reasons.paymentVoided);
  if (order) await statusChanged(db, ctx.topic, order);
  ctx.log.info({ orderId, paymentId, recorded: Boolean(order) }, 'payment voided for an order given up');
}

/** The card was declined or the provider did not answer: cancel, and let inventory release the stock. */
export async function onPaymentDeclined(db: DbClient, ctx: SagaContext, { orderId, reason }: PaymentDeclinedData): Promise<void> {
  const text = reason === 'timeout' ? Reasons.providerTimeout : Reasons.declined;
  const order = await move(db, ctx, await lockOrder(db, orderId), 'reserved', 'cancelled', text);
  if (order) await orderCancelled(db, ctx.topic, order, text);
}

/** Inventory has sold the reserved stock: the order is done. */
export async function onStockCommitted(db: DbClient, ctx: SagaContext, orderId: string): Promise<void> {
  await move(db, ctx, await lockOrder(db, orderId), 'paid', 'confirmed');
}

/**
 * An order whose step got no answer in time (the caller holds its row lock):
 * - placed: inventory did not answer. Rejected, and order.cancelled goes out all the same, so a
 *   reservation that happens late is released (inventory remembers a cancel that comes first).
 * - reserved: payments did not answer. Cancelled, and the reserved stock is released.
 * - paid: the card is charged and the stock held, so giving up would take a refund; the only way
 *   forward is to finish the sale. order.confirmed is sent again (inventory commits once and answers
 *   every time) and the deadline moves on, until inventory answers.
 */
export async function onDeadline(db: DbClient, ctx: SagaContext, order: OrderRow): Promise<void> {
  if (order.status === 'placed' || order.status === 'reserved') {
    const [to, reason] = order.status === 'placed' ? (['rejected', Reasons.inventoryTimeout] as const) : (['cancelled', Reasons.paymentTimeout] as const);
    const moved = await move(db, ctx, order, order.status, to, reason);
    if (moved) await orderCancelled(db, ctx.topic, moved, reason);
    ctx.log.warn({ orderId: order.id, from: order.status, to }, 'checkout step got no answer in time');
  } else if (order.status === 'paid') {
    await orderConfirmed(db, ctx.topic, order);
    await postponeDeadline(db, order.id, ctx.stepTimeoutMs);
    ctx.log.warn({ orderId: order.id }, 'stock not committed in time for a paid order; order.confirmed sent again');
  } else {
    await postponeDeadline(db, order.id, null); // final orders have no deadline
  }
}
