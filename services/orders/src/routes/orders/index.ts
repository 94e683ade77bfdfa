import { Order, OrderList, PlaceOrderBody } from '@shop/contracts/api/orders';
import { ApiError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { orderNotFound } from '../../errors.ts';
import { findOrder, listOrders } from '../../repository.ts';
import { placeOrder, type PriceSource, type SagaContext } from '../../saga.ts';
import { CustomerQuery, OrderListQuery, OrderParams } from '../../schemas/orders.ts';

/** `prices`: the catalog's current prices, which every order is charged (never what the caller sent). */
export default async function orderRoutes(app: App, { saga, prices }: { saga: SagaContext; prices: PriceSource }) {
  // 202: the order is taken and the saga runs on; its status moves as the other services answer.
  // A retry with the same idempotency key gets the same order (marked Idempotent-Replayed).
  app.post('/orders', { schema: { body: PlaceOrderBody, response: { 202: Order, 400: ApiError, 409: ApiError, 503: ApiError } } }, async (req, reply) => {
    const { order, replayed } = await placeOrder(app.db, saga, req.body, prices);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send(order);
  });

  app.get('/orders', { schema: { querystring: OrderListQuery, response: { 200: OrderList, 400: ApiError } } }, async (req) => ({
    items: await listOrders(app.db, req.query.customerId, req.query.limit ?? 20),
  }));

  app.get(
    '/orders/:id',
    { schema: { params: OrderParams, querystring: CustomerQuery, response: { 200: Order, 400: ApiError, 404: ApiError } } },
    async (req) => {
      const order = await findOrder(app.db, req.params.id, req.query.customerId);
      if (!order) throw orderNotFound(req.params.id);
      return order;
    },
  );
}
