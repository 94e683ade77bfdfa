import { ApiError } from '@shop/contracts/api/errors';
import { CatalogPage, CatalogPageQuery } from '@shop/contracts/api/web';
import type { App } from '@shop/platform/server';
import { composeCatalogPage } from '../../pages/catalog-page.ts';

export default async function catalogRoutes(app: App) {
  app.get(
    '/catalog',
    { schema: { querystring: CatalogPageQuery, response: { 200: CatalogPage, 400: ApiError } } },
    (req) => composeCatalogPage({ catalog: app.listings, categories: app.categories, log: req.log }, req.query),
  );
}
