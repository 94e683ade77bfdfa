import fp from 'fastify-plugin';
import { Compile } from 'typebox/compile';
import { Cart } from '@shop/contracts/api/cart';
import { DownstreamError, isRefusal, sendJson } from '@shop/platform/clients/downstream';
import { joinUrl, registerDownstream, type DownstreamPolicy } from '../lib/downstream-plugin.ts';

const SERVICE = 'cart';

/**
 * The cart service's API as bff-web uses it. Refusals (404 unknown product, 409 not enough stock)
 * throw a DownstreamError carrying the service's code and message; failures throw one with a 5xx.
 */
export interface CartClient {
  /** A cart nobody has written to yet is empty (version 0). */
  getCart(cartId: string, signal?: AbortSignal): Promise<Cart>;
  setLine(cartId: string, sku: string, quantity: number, signal?: AbortSignal): Promise<Cart>;
  /** Moves the lines of `from` into `cartId` (quantities add up, capped by stock). */
  merge(cartId: string, from: string, signal?: AbortSignal): Promise<Cart>;
  ping(signal?: AbortSignal): Promise<void>;
}

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
    async ping(signal) {
      const res = await fetch(joinUrl(baseUrl, '/health'), { signal });
      await res.body?.cancel();
      if (!res.ok) throw new DownstreamError(SERVICE, res.status, `${SERVICE} /health answered ${res.status}`);
    },
  };
}

export interface CartClientOptions extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: CartClient;
}

/** `app.cart`: the cart client, every call within the budget and behind the service's circuit breaker. */
export const cartClientPlugin = fp<CartClientOptions>(
  async (app, { baseUrl, client = httpCartClient(baseUrl), ...policy }) => {
    const guard = registerDownstream(app, SERVICE, policy);
    const guarded: CartClient = {
      getCart: (cartId) => guard.call((signal) => client.getCart(cartId, signal)),
      setLine: (cartId, sku, quantity) => guard.call((signal) => client.setLine(cartId, sku, quantity, signal)),
      merge: (cartId, from) => guard.call((signal) => client.merge(cartId, from, signal)),
      ping: () => guard.call((signal) => client.ping(signal)),
    };
    app.decorate('cart', guarded);
    app.downstreams.set(SERVICE, { circuit: guard.circuit, ping: guarded.ping });
  },
  { name: 'cart-client' },
);

declare module 'fastify' {
  interface FastifyInstance {
    cart: CartClient;
  }
}
