import { Type } from 'typebox';
import { Category } from '@shop/contracts/api/catalog';
import type { App } from '@shop/platform/server';
import { listCategories } from '../../listing-repository.ts';

export default async function categoryRoutes(app: App) {
  app.get('/categories', { schema: { response: { 200: Type.Array(Category) } } }, () => listCategories(app.db));
}
