import type { Order } from '@shop/contracts/api/orders';
import type { App } from '@shop/platform/server';
import { orderNotFound } from '../../errors.ts';
import { MobileOrder, OrderList, OrderParams } from '../../schemas/orders.ts';
import { notModified, problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';

const toMobileOrder = (order: Order): MobileOrder => ({
  id: order.id,
  status: order.status,
  ...(order.reason ? { reason: order.reason } : {}),
  lines: order.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({ sku, name, quantity, unitPrice, lineTotal })),
  total: order.total,
  createdAt: order.createdAt,
});

const security = [{ bearer: [] }];

export default async function orderRoutes(app: App) {
  app.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "The signed-in user's orders, newest first",
        security,
        response: { 200: ref(OrderList, 'your orders'), ...notModified, ...problems({ 401: 'no valid access token' }) },
      },
    },
    async (req) => ({ items: (await app.clients.orders.listOrders(req.shopper!.userId)).map(toMobileOrder) }),
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'One of your orders',
        security,
        params: OrderParams,
        response: { 200: ref(MobileOrder, 'the order'), ...notModified, ...problems({ 400: 'not an order id', 401: 'no valid access token', 404: 'you have no such order' }) },
      },
    },
    async (req) => {
      // Orders answers only with the customer's own: somebody else's order is a 404, like one that does not exist.
      const order = await app.clients.orders.getOrder(req.params.id, req.shopper!.userId);
      if (!order) throw orderNotFound(req.params.id);
      return toMobileOrder(order);
    },
  );
}
