import { SetStockBody, StockBatch, StockBatchQuery, StockLevel } from '@shop/contracts/api/inventory';
import { OperatorTokenClaims } from '@shop/contracts/api/identity';
import { ApiError } from '@shop/contracts/api/errors';
import { withTransaction } from '@shop/platform/db';
import type {} from '@shop/platform/operator-auth';
import type { App } from '@shop/platform/server';
import { stockNotFound } from '../../errors.ts';
import { stockChanged } from '../../events/publish.ts';
import { findStock, findStocks, setAvailable } from '../../repository.ts';
import { SkuParams } from '../../schemas/stock.ts';

/** `topic`: where stock events go, the inventory topic behind the configured prefix. */
export default async function stockRoutes(app: App, { topic }: { topic: string }) {
  app.get('/stock', { schema: { querystring: StockBatchQuery, response: { 200: StockBatch, 400: ApiError } } }, async (req) => ({
    items: await findStocks(app.db, req.query.sku),
  }));

  app.get('/stock/:sku', { schema: { params: SkuParams, response: { 200: StockLevel, 400: ApiError, 404: ApiError } } }, async (req) => {
    const level = await findStock(app.db, req.params.sku);
    if (!level) throw stockNotFound(req.params.sku);
    return level;
  });

  // Operators set the physical count; the change and its event commit together.
  app.put(
    '/stock/:sku',
    {
      // Operators only: checked before the body is read.
      onRequest: app.requireScope(OperatorTokenClaims.adminScope),
      schema: { params: SkuParams, body: SetStockBody, response: { 200: StockLevel, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 503: ApiError } },
    },
    async (req) =>
      withTransaction(app.db, async (client) => {
        const level = await setAvailable(client, req.params.sku, req.body.available);
        if (!level) throw stockNotFound(req.params.sku);
        await stockChanged(client, level, topic);
        return level;
      }),
  );
}
