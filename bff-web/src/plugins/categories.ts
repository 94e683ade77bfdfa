import fp from 'fastify-plugin';
import { CatalogEventTypes, ProductUpserted } from '@shop/contracts/events/catalog';
import { createCategoryCache, type CategoryCache } from '@shop/platform/clients/category-cache';
import { onEvent, type LiveRoute } from '@shop/platform/live-intake';

export interface CategoriesOptions {
  /** Past this age (ms) the kept categories are refreshed even without an event. */
  maxAgeMs: number;
}

/** A product was added, renamed or moved: its category's count (or the list) may have changed. */
export const categoryEvents = (cache: CategoryCache): LiveRoute[] => [
  onEvent(CatalogEventTypes.productUpserted, ProductUpserted, () => cache.invalidate()),
];

/**
 * `app.categories`: catalog's categories kept between catalog pages (see `createCategoryCache`), so a
 * page costs one upstream call. The live hub feeds it catalog's events (`categoryEvents`). Needs `app.clients`.
 */
export const categoriesPlugin = fp<CategoriesOptions>(
  async (app, { maxAgeMs }) => {
    const cache = createCategoryCache({
      catalog: app.clients.catalog,
      maxAgeMs,
      onRefreshError: (err) => app.log.warn({ err }, 'refreshing the categories failed; the kept ones are served meanwhile'),
    });
    app.decorate('categories', cache);
  },
  { name: 'categories', dependencies: ['clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Catalog's categories as this BFF keeps them. */
    categories: CategoryCache;
  }
}
