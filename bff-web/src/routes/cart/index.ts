import { Type } from 'typebox';
import { SetLineBody } from '@shop/contracts/api/cart';
import { WebCart } from '@shop/contracts/api/web';
import { ApiError } from '@shop/contracts/api/errors';
import { Sku } from '@shop/contracts/money';
import type { App } from '@shop/platform/server';
import { cartRefused, cartUnavailable, cartUnreadable, insufficientStock, unknownProduct } from '../../errors.ts';
import { toWebCart } from '../../lib/web-cart.ts';
import { isContractBreach, isRefusal } from '@shop/platform/clients/downstream';

const LineParams = Type.Object({ sku: Sku });
const INSUFFICIENT_STOCK = 'CART_INSUFFICIENT_STOCK';

/** The cart service's answer in the shopper's terms: its refusals keep their words, its failures become a 503. */
export function cartFailure(err: unknown): never {
  if (isRefusal(err, 404)) throw unknownProduct(err.message);
  if (isRefusal(err, 409) && (err.code ?? INSUFFICIENT_STOCK) === INSUFFICIENT_STOCK) throw insufficientStock(err.message);
  if (isRefusal(err)) throw cartRefused(err.status, err.message); // a full cart, …
  // About this cart's data, not the service's health: this shopper gets a clear answer, the others their carts.
  if (isContractBreach(err)) throw cartUnreadable();

  throw cartUnavailable();
}

/** The session's cart. The cart id comes from the session only: a client cannot name another cart. */
export default async function cartRoutes(app: App) {
  app.get('/cart', { schema: { response: { 200: WebCart, 502: ApiError, 503: ApiError } } }, (req) =>
    app.clients.cart.getCart(req.session!.data.cartId).then(toWebCart, cartFailure),
  );

  app.put(
    '/cart/lines/:sku',
    { schema: { params: LineParams, body: SetLineBody, response: { 200: WebCart, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 502: ApiError, 503: ApiError } } },
    async (req) => {
      const session = req.session!;
      const cart = await app.clients.cart.setLine(session.data.cartId, req.params.sku, req.body.quantity).catch(cartFailure);
      // A guest's session lives long once the cart holds something, and short again once it is empty.
      const filled = cart.itemCount > 0;
      if (!session.data.user && filled !== (session.data.cartFilled ?? false)) {
        const { cartFilled: _was, ...rest } = session.data;
        session.data = filled ? { ...rest, cartFilled: true } : rest;
        await app.sessions.save(session.sid, session.data).catch((err: unknown) => req.log.warn({ err }, 'session life not updated'));
      }
      return toWebCart(cart);
    },
  );
}
