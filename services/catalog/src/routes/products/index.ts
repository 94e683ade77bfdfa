import { PriceList, PriceQuery, Product, ProductPage, ProductSearchQuery, SetPriceBody } from '@shop/contracts/api/catalog';
import { OperatorTokenClaims } from '@shop/contracts/api/identity';
import { ApiError } from '@shop/contracts/api/errors';
import { withTransaction } from '@shop/platform/db';
import type {} from '@shop/platform/operator-auth';
import type { App } from '@shop/platform/server';
import { productNotFound } from '../../errors.ts';
import { priceChanged } from '../../events/publish.ts';
import { findListed, searchListing } from '../../listing-repository.ts';
import { currentPrices, setPrice } from '../../products-repository.ts';
import { SkuParams } from '../../schemas/products.ts';

/** `topic`: where price events go, the catalog topic behind the configured prefix. */
export default async function productRoutes(app: App, { topic }: { topic: string }) {
  app.get('/products', { schema: { querystring: ProductSearchQuery, response: { 200: ProductPage, 400: ApiError } } }, (req) =>
    searchListing(app.db, req.query),
  );

  app.get('/products/:sku', { schema: { params: SkuParams, response: { 200: Product, 400: ApiError, 404: ApiError } } }, async (req) => {
    const product = await findListed(app.db, req.params.sku);
    if (!product) throw productNotFound(req.params.sku);
    return product;
  });

  // What an order is charged: the write model's price, current the moment it commits (orders calls this).
  app.get('/prices', { schema: { querystring: PriceQuery, response: { 200: PriceList, 400: ApiError } } }, async (req) => ({
    items: await currentPrices(app.db, [...new Set(req.query.sku)]),
  }));

  app.put(
    '/products/:sku/price',
    {
      // Operators only: checked before the body is read.
      onRequest: app.requireScope(OperatorTokenClaims.adminScope),
      schema: { params: SkuParams, body: SetPriceBody, response: { 200: SetPriceBody, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 503: ApiError } },
    },
    async (req) =>
      withTransaction(app.db, async (client) => {
        const change = await setPrice(client, req.params.sku, req.body);
        if (!change) throw productNotFound(req.params.sku);
        await priceChanged(client, change, topic);
        return change.price;
      }),
  );
}
