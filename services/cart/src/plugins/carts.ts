import fp from 'fastify-plugin';
import { cartRepository, type CartLimits, type CartRepository } from '../cart-repository.ts';
import { productProjection, type ProductProjection } from '../product-projection.ts';

export interface CartsPluginOptions {
  /** The (prefixed) topic `cart.updated` goes to. */
  cartTopic: string;
  limits: CartLimits;
}

/** The cart repository and the product projection it prices and checks stock with. Needs the redis plugin. */
export const cartsPlugin = fp<CartsPluginOptions>(
  async (app, { cartTopic, limits }) => {
    const products = productProjection(app.cartStore);
    app.decorate('productProjection', products);
    app.decorate('carts', cartRepository({ ...app.cartStore, products, topic: cartTopic, limits }));
  },
  { name: 'carts', dependencies: ['redis'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    carts: CartRepository;
    productProjection: ProductProjection;
  }
}
