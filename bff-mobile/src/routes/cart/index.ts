import type { Cart } from '@shop/contracts/api/cart';
import { isRefusal } from '@shop/platform/clients/downstream';
import { userCartId } from '@shop/platform/clients/cart';
import type { App } from '@shop/platform/server';
import { MobileError, productNotFound } from '../../errors.ts';
import { MobileCart, SetLineRequest } from '../../schemas/cart.ts';
import { SkuParams } from '../../schemas/catalog.ts';
import { notModified, problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';

const toMobileCart = (cart: Cart): MobileCart => ({
  lines: cart.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({ sku, name, quantity, unitPrice, lineTotal })),
  total: cart.total,
});

const security = [{ bearer: [] }];

export default async function cartRoutes(app: App) {
  app.get(
    '/cart',
    {
      schema: {
        tags: ['cart'],
        summary: "The signed-in user's cart",
        security,
        response: { 200: ref(MobileCart, 'the cart'), ...notModified, ...problems({ 401: 'no valid access token' }) },
      },
    },
    async (req) => toMobileCart(await app.clients.cart.getCart(userCartId(req.shopper!.userId))),
  );

  app.put(
    '/cart/lines/:sku',
    {
      schema: {
        tags: ['cart'],
        summary: 'Set how many of a product are in the cart (0 removes it)',
        security,
        params: SkuParams,
        body: SetLineRequest,
        response: {
          200: ref(MobileCart, 'the cart as it is now'),
          ...problems({
            400: 'invalid sku or quantity',
            401: 'no valid access token',
            404: 'no such product for sale',
            409: 'not that many in stock, or the cart is full',
          }),
        },
      },
    },
    async (req) => {
      const { sku } = req.params;
      const cart = await app.clients.cart.setLine(userCartId(req.shopper!.userId), sku, req.body.quantity).catch((err: unknown) => {
        if (isRefusal(err, 404)) throw productNotFound(sku);
        if (isRefusal(err, 409)) {
          throw new MobileError(err.code === 'CART_FULL' ? 'MOBILE_CART_FULL' : 'MOBILE_INSUFFICIENT_STOCK', err.message);
        }
        throw err;
      });
      return toMobileCart(cart);
    },
  );
}
