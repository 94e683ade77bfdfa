import type { App } from '@shop/platform/server';
import { Home } from '../../schemas/catalog.ts';
import { notModified, problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';
import { listedStock, toSummary } from '../../lib/products.ts';

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
    async () => {
      // One upstream call at most: categories are kept (app.categories), so may the listing be (app.listings); it carries stock.
      const [categories, listing] = await Promise.all([app.categories.get(), app.listings.searchProducts({ limit: FEATURED })]);
      return {
        categories: categories.map(({ slug, name }) => ({ slug, name })),
        featured: listing.items.map((p) => toSummary(p, listedStock(p))),
      };
    },
  );
}
