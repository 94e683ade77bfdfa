import type { App } from '@shop/platform/server';
import { checkout } from '../../lib/checkout.ts';
import type { IdempotencyStore } from '../../lib/idempotency-store.ts';
import { CheckoutAccepted, CheckoutHeaders, CheckoutRequest } from '../../schemas/orders.ts';
import { problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';

export interface CheckoutRouteOptions {
  store: IdempotencyStore;
  ttlS: number;
}

export default async function checkoutRoutes(app: App, { store, ttlS }: CheckoutRouteOptions) {
  app.post(
    '/checkout',
    {
      schema: {
        tags: ['orders'],
        summary: 'Order what is in the cart; send an Idempotency-Key so a retry never orders twice',
        security: [{ bearer: [] }],
        headers: CheckoutHeaders,
        body: CheckoutRequest,
        response: {
          202: ref(CheckoutAccepted, 'the order is placed and being processed'),
          ...problems({
            400: 'invalid fields (the card number too)',
            401: 'no valid access token',
            409: 'the cart is empty, or a checkout with this key is still running',
            422: 'the key was used for another checkout, or the order cannot be placed',
          }),
        },
      },
    },
    async (req, reply) => {
      const accepted = await checkout({ clients: app.clients, store, ttlS, log: req.log }, req.shopper!.userId, req.headers['idempotency-key'], req.body);
      return reply.code(202).header('location', `/m/v1/orders/${accepted.orderId}`).send(accepted);
    },
  );
}
