import { Value } from 'typebox/value';
import { CartId } from '@shop/contracts/api/cart';
import { OrderConfirmedV1 } from '@shop/contracts/events/orders';
import type { FastifyBaseLogger } from 'fastify';
import { handler } from '@shop/platform/event-handlers';
import type { CartRepository } from '../../cart-repository.ts';

/**
 * `order.confirmed`: the order was paid, so what it bought leaves the customer's cart; lines added
 * after checkout stay. Once per event (a marker set in the same script as the effect), and not at
 * all if the cart changed after the confirmation was issued.
 */
export const orderConfirmed = (carts: CartRepository, log: FastifyBaseLogger) =>
  handler(OrderConfirmedV1, async ({ orderId, customerId, lines }, event) => {
    const cartId = `user-${customerId}`;
    if (!Value.Check(CartId, cartId)) {
      // Not a customer this service keeps a cart for (ids are uuids): nothing to take off.
      log.warn({ orderId, customerId }, 'order.confirmed names a customer id that is not a cart owner; ignored');
      return;
    }
    const time = new Date(event.time);
    if (Number.isNaN(time.getTime())) throw new Error(`event time is not a date: ${event.time}`);
    const effect = await carts.removeOrdered(cartId, event.id, time, lines);
    log.info({ orderId, cartId, effect }, 'order confirmed; cart handled');
  });
