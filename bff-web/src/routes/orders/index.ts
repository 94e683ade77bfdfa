import { Type } from 'typebox';
import { Order } from '@shop/contracts/api/orders';
import { ApiError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { orderNotFound, ordersUnavailable } from '../../errors.ts';
import { OrderParams } from '../../schemas/orders.ts';
import { requireUser, sessionUser } from '../../plugins/sessions.ts';

const unavailable = (): never => {
  throw ordersUnavailable();
};

/** The signed-in user's orders. The customer id is the session's user: another user's order is a 404. */
export default async function orderRoutes(app: App) {
  app.addHook('preValidation', requireUser);

  app.get('/orders', { schema: { response: { 200: Type.Array(Order), 401: ApiError, 503: ApiError } } }, (req) =>
    app.clients.orders.listOrders(sessionUser(req).id).catch(unavailable),
  );

  app.get(
    '/orders/:id',
    { schema: { params: OrderParams, response: { 200: Order, 400: ApiError, 401: ApiError, 404: ApiError, 503: ApiError } } },
    async (req) => {
      const { id: userId } = sessionUser(req);
      const order = await app.clients.orders.getOrder(req.params.id, userId).catch(unavailable);
      // Orders filters by customer already; checked again so a misbehaving service cannot leak an order.
      if (!order || order.customerId !== userId) throw orderNotFound(req.params.id);
      return order;
    },
  );
}
