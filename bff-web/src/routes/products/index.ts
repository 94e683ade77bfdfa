import { Type } from 'typebox';
import { Sku } from '@shop/contracts/money';
import { ApiError } from '@shop/contracts/api/errors';
import { ProductDetailPage } from '@shop/contracts/api/web';
import type { App } from '@shop/platform/server';
import { composeProductPage } from '../../pages/product-page.ts';

const ProductParams = Type.Object({ sku: Sku });

export default async function productRoutes(app: App) {
  app.get(
    '/products/:sku',
    { schema: { params: ProductParams, response: { 200: ProductDetailPage, 400: ApiError, 404: ApiError, 503: ApiError } } },
    (req) => composeProductPage({ catalog: app.clients.catalog, inventory: app.clients.inventory, log: req.log }, req.params.sku),
  );
}
