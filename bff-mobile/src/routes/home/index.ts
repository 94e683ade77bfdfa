import type { App } from '@shop/platform/server';
import { Home } from '../../schemas/catalog.ts';
import { notModified, problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';
import { stockLevelsOrNull, stockOf, toSummary } from '../../lib/products.ts';

const FEATURED = 8;

export default async function homeRoutes(app: App) {
  app.get(
    '/home',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The start screen in one call: categories and featured products',
        response: { 200: ref(Home, 'categories and featured products'), ...notModified, ...problems({}) },
      },
    },
    async (req) => {
      const { catalog } = app.clients;
      const [categories, listing] = await Promise.all([catalog.listCategories(), catalog.searchProducts({ limit: FEATURED })]);
      const levels = await stockLevelsOrNull(app.clients.inventory, req.log, listing.items.map((p) => p.sku));
      return {
        categories: categories.map(({ slug, name }) => ({ slug, name })),
        featured: listing.items.map((p) => toSummary(p, stockOf(p, levels))),
      };
    },
  );
}
