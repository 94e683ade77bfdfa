import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { Order, type PlaceOrderBody } from '@shop/contracts/api/orders';
import { DownstreamError, isRefusal, sendJson } from '@shop/platform/clients/downstream';
import { joinUrl, registerDownstream, type DownstreamPolicy } from '../lib/downstream-plugin.ts';

const SERVICE = 'orders';

/** The orders service's API as bff-web uses it. Every read names the customer: orders answers only with theirs. */
export interface OrdersClient {
  /** 202: the saga has started. A retry with the same idempotency key returns the same order. */
  placeOrder(body: PlaceOrderBody, signal?: AbortSignal): Promise<Order>;
  listOrders(customerId: string, signal?: AbortSignal): Promise<Order[]>;
  /** null when there is no such order of this customer. */
  getOrder(orderId: string, customerId: string, signal?: AbortSignal): Promise<Order | null>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isOrder = Compile(Order);
/** The orders service answers `{items: Order[]}` (its own OrderList; the contract has no list type); a bare array is read too. */
const isOrderList = Compile(Type.Union([Type.Object({ items: Type.Array(Order) }), Type.Array(Order)]));

export function httpOrdersClient(baseUrl: string): OrdersClient {
  const url = (path: string, customerId?: string) => {
    const u = joinUrl(baseUrl, path);
    if (customerId !== undefined) u.searchParams.set('customerId', customerId);
    return u;
  };
  return {
    placeOrder: (body, signal) => sendJson(SERVICE, url('/orders'), { method: 'POST', body, signal, schema: isOrder }),
    async listOrders(customerId, signal) {
      const list = await sendJson(SERVICE, url('/orders', customerId), { method: 'GET', signal, schema: isOrderList });
      return Array.isArray(list) ? list : list.items;
    },
    async getOrder(orderId, customerId, signal) {
      try {
        return await sendJson(SERVICE, url(`/orders/${encodeURIComponent(orderId)}`, customerId), { method: 'GET', signal, schema: isOrder });
      } catch (err) {
        if (isRefusal(err, 404)) return null;
        throw err;
      }
    },
    async ping(signal) {
      const res = await fetch(url('/health'), { signal });
      await res.body?.cancel();
      if (!res.ok) throw new DownstreamError(SERVICE, res.status, `${SERVICE} /health answered ${res.status}`);
    },
  };
}

export interface OrdersClientOptions extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: OrdersClient;
}

/** `app.orders`: the orders client, every call within the budget and behind the service's circuit breaker. */
export const ordersClientPlugin = fp<OrdersClientOptions>(
  async (app, { baseUrl, client = httpOrdersClient(baseUrl), ...policy }) => {
    const guard = registerDownstream(app, SERVICE, policy);
    const guarded: OrdersClient = {
      placeOrder: (body) => guard.call((signal) => client.placeOrder(body, signal)),
      listOrders: (customerId) => guard.call((signal) => client.listOrders(customerId, signal)),
      getOrder: (orderId, customerId) => guard.call((signal) => client.getOrder(orderId, customerId, signal)),
      ping: () => guard.call((signal) => client.ping(signal)),
    };
    app.decorate('orders', guarded);
    app.downstreams.set(SERVICE, { circuit: guard.circuit, ping: guarded.ping });
  },
  { name: 'orders-client' },
);

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersClient;
  }
}
