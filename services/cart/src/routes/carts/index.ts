import { Type } from 'typebox';
import { Cart, MergeBody, SetLineBody } from '@shop/contracts/api/cart';
import { ApiError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { mergeIntoItself } from '../../errors.ts';
import { CartParams, LineParams } from '../../schemas/carts.ts';

export default async function cartRoutes(app: App) {
  app.get('/carts/:cartId', { schema: { params: CartParams, response: { 200: Cart, 400: ApiError } } }, (req) =>
    app.carts.get(req.params.cartId),
  );

  app.put(
    '/carts/:cartId/lines/:sku',
    { schema: { params: LineParams, body: SetLineBody, response: { 200: Cart, 400: ApiError, 404: ApiError, 409: ApiError, 503: ApiError } } },
    (req) => app.carts.setLine(req.params.cartId, req.params.sku, req.body.quantity),
  );

  app.post(
    '/carts/:cartId/merge',
    { schema: { params: CartParams, body: MergeBody, response: { 200: Cart, 400: ApiError, 503: ApiError } } },
    async (req) => {
      if (req.body.from === req.params.cartId) throw mergeIntoItself(req.params.cartId);
      return app.carts.merge(req.params.cartId, req.body.from);
    },
  );

  app.delete('/carts/:cartId', { schema: { params: CartParams, response: { 204: Type.Null(), 400: ApiError, 503: ApiError } } }, async (req, reply) => {
    await app.carts.clear(req.params.cartId);
    return reply.code(204).send(null);
  });
}
