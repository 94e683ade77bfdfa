import { guardCart, httpCartClient, type CartClient } from '@shop/platform/clients/cart';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.cart`: the cart service's client, every call within the budget and behind the service's circuit breaker. */
export const cartClientPlugin = clientPlugin('cart', httpCartClient, guardCart);

declare module 'fastify' {
  interface FastifyInstance {
    cart: CartClient;
  }
}
