import { Compile } from 'typebox/compile';
import { Order, OrderList, type PlaceOrderBody } from '@shop/contracts/api/orders';
import { isRefusal, joinUrl, pingService, sendJson, type Downstream } from './downstream.ts';

const SERVICE = 'orders';

/** The orders service's API (port 7104) as the BFFs use it. Every read names the customer: orders answers only with theirs. */
export interface OrdersClient {
  /** 202: the saga has started. A retry with the same idempotency key returns the same order. */
  placeOrder(body: PlaceOrderBody, signal?: AbortSignal): Promise<Order>;
  /** The customer's newest orders first, at most `limit` (the service's default 20, at most 100). */
  listOrders(customerId: string, limit?: number, signal?: AbortSignal): Promise<Order[]>;
  /** null when there is no such order of this customer. */
  getOrder(orderId: string, customerId: string, signal?: AbortSignal): Promise<Order | null>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isOrder = Compile(Order);
const isOrderList = Compile(OrderList);

export function httpOrdersClient(baseUrl: string): OrdersClient {
  const url = (path: string, customerId?: string) => {
    const u = joinUrl(baseUrl, path);
    if (customerId !== undefined) u.searchParams.set('customerId', customerId);
    return u;
  };
  return {
    placeOrder: (body, signal) => sendJson(SERVICE, url('/orders'), { method: 'POST', body, signal, schema: isOrder }),
    async listOrders(customerId, limit, signal) {
      const u = url('/orders', customerId);
      if (limit !== undefined) u.searchParams.set('limit', String(limit));
      return (await sendJson(SERVICE, u, { method: 'GET', signal, schema: isOrderList })).items;
    },
    async getOrder(orderId, customerId, signal) {
      try {
        return await sendJson(SERVICE, url(`/orders/${encodeURIComponent(orderId)}`, customerId), { method: 'GET', signal, schema: isOrder });
      } catch (err) {
        if (isRefusal(err, 404)) return null;
        throw err;
      }
    },
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/** The same client with every call within the downstream's budget and behind its circuit breaker. */
export const guardOrders = (client: OrdersClient, guard: Downstream): OrdersClient => ({
  placeOrder: (body) => guard.call((signal) => client.placeOrder(body, signal)),
  listOrders: (customerId, limit) => guard.call((signal) => client.listOrders(customerId, limit, signal)),
  getOrder: (orderId, customerId) => guard.call((signal) => client.getOrder(orderId, customerId, signal)),
  ping: () => guard.call((signal) => client.ping(signal)),
});
