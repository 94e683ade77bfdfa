import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { CheckoutBody } from '@shop/contracts/api/checkout';
import { isRefusal } from '@shop/platform/clients/downstream';
import { userCartId } from '@shop/platform/clients/cart';
import {
  cartEmpty,
  checkoutInProgress,
  idempotencyKeyReused,
  MobileError,
  validationFailed,
} from '../errors.ts';
import type { ServiceClients } from '@shop/platform/clients/service-clients';
import type { CheckoutAccepted } from '../schemas/orders.ts';
import type { IdempotencyStore } from './idempotency-store.ts';

export interface CheckoutDeps {
  clients: ServiceClients;
  store: IdempotencyStore;
  /** How long a completed checkout's key is remembered. */
  ttlS: number;
  log: FastifyBaseLogger;
  /** How long a request waits for a concurrent one with the same key to finish (then: 409, retry later). */
  waitForConcurrentMs?: number;
}

/** A claim outlives the slowest checkout (three calls within their budgets); then a retry may take over. */
const PENDING_TTL_S = 30;
const POLL_MS = 100;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * What makes two checkout requests the same request. Only the last four digits of the card go in: a
 * fingerprint must not become a way to recover a card number, and a retry never changes the middle ones.
 */
export function checkoutFingerprint({ shippingAddress: a, payment: p }: CheckoutBody): string {
  const last4 = p.cardNumber.replace(/\D/g, '').slice(-4);
  return sha256(JSON.stringify([a.name, a.line1, a.city, a.postalCode, a.country, last4, p.expiry]));
}

/**
 * The idempotency key orders sees: derived from the user and the app's key, so a retry reaches the
 * same order even if the BFF's own record is gone, and two users' keys can never meet.
 */
export const ordersIdempotencyKey = (userId: string, key: string) => `mobile-${sha256(`${userId}\n${key}`)}`;

/** Cart → payment method → order. The cart empties itself once the order is confirmed. */
async function placeOrder({ clients }: CheckoutDeps, userId: string, body: CheckoutBody, idempotencyKey: string): Promise<CheckoutAccepted> {
  const cart = await clients.cart.getCart(userCartId(userId));
  if (cart.lines.length === 0) throw cartEmpty();

  const method = await clients.payments.createPaymentMethod(body.payment).catch((err: unknown) => {
    if (!isRefusal(err)) throw err;
    const field = err.code === 'PAYMENTS_INVALID_CARD_NUMBER' ? 'cardNumber' : err.code === 'PAYMENTS_CARD_EXPIRED' ? 'expiry' : undefined;
    throw validationFailed([{ pointer: field ? `#/payment/${field}` : '#/payment', detail: err.message }]);
  });

  const order = await clients.orders
    .placeOrder({
      customerId: userId,
      lines: cart.lines.map(({ sku, name, quantity, unitPrice }) => ({ sku, name, quantity, unitPrice })),
      shippingAddress: body.shippingAddress,
      paymentMethodId: method.paymentMethodId,
      idempotencyKey,
    })
    .catch((err: unknown) => {
      if (isRefusal(err)) throw new MobileError('MOBILE_ORDER_REFUSED', err.message);
      throw err;
    });
  return { orderId: order.id, status: order.status };
}

/** The order a completed key stands for, with its status as of now when orders can tell. */
async function replay(deps: CheckoutDeps, userId: string, orderId: string, status: string | undefined): Promise<CheckoutAccepted> {
  const current = await deps.clients.orders.getOrder(orderId, userId).catch(() => null);
  return { orderId, status: current?.status ?? (status as CheckoutAccepted['status']) ?? 'placed' };
}

/**
 * A checkout that honours `Idempotency-Key`: the first request with a key places the order; a retry with
 * the same key and body gets the same order, even while the first is still running (it waits for it);
 * the same key with another body is a 422. A checkout that fails releases its key so a retry can try again.
 * Without a key every request is a new checkout.
 */
export async function checkout(deps: CheckoutDeps, userId: string, key: string | undefined, body: CheckoutBody): Promise<CheckoutAccepted> {
  if (key === undefined) return placeOrder(deps, userId, body, `mobile-${randomUUID()}`);

  const storeKey = `${userId}:${sha256(key)}`;
  const fingerprint = checkoutFingerprint(body);
  const deadline = Date.now() + (deps.waitForConcurrentMs ?? 15_000);
  for (;;) {
    const existing = await deps.store.claim(storeKey, fingerprint, PENDING_TTL_S);
    if (!existing) break; // ours to place
    if (existing.fingerprint !== fingerprint) throw idempotencyKeyReused();
    if (existing.orderId) return replay(deps, userId, existing.orderId, existing.status);
    if (Date.now() >= deadline) throw checkoutInProgress();
    await sleep(POLL_MS);
  }

  let accepted: CheckoutAccepted;
  try {
    accepted = await placeOrder(deps, userId, body, ordersIdempotencyKey(userId, key));
  } catch (err) {
    await deps.store.release(storeKey).catch((releaseErr: unknown) => deps.log.warn({ err: releaseErr }, 'could not release an idempotency key'));
    throw err;
  }
  // The order exists now; failing to remember it only means a retry asks orders again (same derived key).
  await deps.store
    .complete(storeKey, { fingerprint, orderId: accepted.orderId, status: accepted.status }, deps.ttlS)
    .catch((err: unknown) => deps.log.warn({ err, orderId: accepted.orderId }, 'could not record a checkout under its idempotency key'));
  return accepted;
}
