import { Compile } from 'typebox/compile';
import { Cart } from '@shop/contracts/api/cart';
import { isRefusal, joinUrl, pingService, sendJson, type Downstream } from './downstream.ts';

const SERVICE = 'cart';

/**
 * The cart service's API (port 7103) as the BFFs use it. Refusals (404 unknown product, 409 not enough
 * stock or a full cart) throw a DownstreamError carrying the service's code and message.
 */
export interface CartClient {
  /** A cart nobody has written to yet is empty (version 0). */
  getCart(cartId: string, signal?: AbortSignal): Promise<Cart>;
  /** Quantity 0 removes the line. */
  setLine(cartId: string, sku: string, quantity: number, signal?: AbortSignal): Promise<Cart>;
  /** Moves the lines of `from` into `cartId` (quantities add up, capped by stock). */
  merge(cartId: string, from: string, signal?: AbortSignal): Promise<Cart>;
  clear(cartId: string, signal?: AbortSignal): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
}

/** The cart of a signed-in user (guests have `guest-<uuid>` carts). */
export const userCartId = (userId: string) => `user-${userId}`;

const isCart = Compile(Cart);

export const emptyCart = (id: string): Cart => ({ id, lines: [], total: { amount: 0, currency: 'EUR' }, itemCount: 0, version: 0 });

export function httpCartClient(baseUrl: string): CartClient {
  const cartUrl = (cartId: string, rest = '') => joinUrl(baseUrl, `/carts/${encodeURIComponent(cartId)}${rest}`);
  return {
    async getCart(cartId, signal) {
      try {
        return await sendJson(SERVICE, cartUrl(cartId), { method: 'GET', signal, schema: isCart });
      } catch (err) {
        if (isRefusal(err, 404)) return emptyCart(cartId);
        throw err;
      }
    },
    setLine: (cartId, sku, quantity, signal) =>
      sendJson(SERVICE, cartUrl(cartId, `/lines/${encodeURIComponent(sku)}`), { method: 'PUT', body: { quantity }, signal, schema: isCart }),
    merge: (cartId, from, signal) => sendJson(SERVICE, cartUrl(cartId, '/merge'), { method: 'POST', body: { from }, signal, schema: isCart }),
    clear: (cartId, signal) => sendJson(SERVICE, cartUrl(cartId), { method: 'DELETE', signal }).then(() => undefined),
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/** The same client with every call within the downstream's budget and behind its circuit breaker. */
export const guardCart = (client: CartClient, guard: Downstream): CartClient => ({
  getCart: (cartId) => guard.call((signal) => client.getCart(cartId, signal)),
  setLine: (cartId, sku, quantity) => guard.call((signal) => client.setLine(cartId, sku, quantity, signal)),
  merge: (cartId, from) => guard.call((signal) => client.merge(cartId, from, signal)),
  clear: (cartId) => guard.call((signal) => client.clear(cartId, signal)),
  ping: () => guard.call((signal) => client.ping(signal)),
});
