import { guardOrders, httpOrdersClient, type OrdersClient } from '@shop/platform/clients/orders';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.orders`: the orders service's client, every call within the budget and behind the service's circuit breaker. */
export const ordersClientPlugin = clientPlugin('orders', httpOrdersClient, guardOrders);

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersClient;
  }
}
