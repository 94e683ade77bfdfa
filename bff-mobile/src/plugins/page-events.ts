import fp from 'fastify-plugin';
import type { CatalogClient } from '@shop/platform/clients/catalog';
import type { CategoryCache } from '@shop/platform/clients/category-cache';
import { createListingCache } from '@shop/platform/clients/listing-cache';
import type { LiveEventSource } from '@shop/platform/event-source';
import { createLiveIntake } from '@shop/platform/live-intake';
import { pageEvents } from '../live/page-events.ts';

export interface PageEventsOptions {
  /** null: no events, so no page is kept (each list asks catalog). */
  source: LiveEventSource | null;
  categories: CategoryCache;
  /** How long (ms) a kept page may be served without an event dropping it; 0: pages are never kept. */
  maxAgeMs: number;
  maxEntries: number;
}

/**
 * `app.listings`: catalog's listing pages kept between requests while this instance hears the events
 * that change them (see `createListingCache`), as bff-web keeps its own. The events come through an intake
 * of this instance's own (retried in the background, reported in `/health` as `page-events`, never
 * blocking `/ready`: without it pages are simply kept no longer than `maxAgeMs`).
 */
export const pageEventsPlugin = fp<PageEventsOptions>(
  async (app, { source, categories, maxAgeMs, maxEntries }) => {
    const catalog = app.clients.catalog;
    const listings = source && maxAgeMs > 0 ? createListingCache({ catalog, maxAgeMs, maxEntries }) : undefined;
    app.decorate('listings', { searchProducts: listings ? (query) => listings.search(query) : (query) => catalog.searchProducts(query) });
    if (!listings) return;
    const intake = createLiveIntake({ source, handle: pageEvents({ listings, categories }), log: app.log.child({ component: 'page-events' }) });
    app.health.register('page-events', intake.health);
    app.addHook('onReady', async () => intake.start());
    app.addHook('onClose', async () => intake.stop());
  },
  { name: 'page-events', dependencies: ['clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Catalog's listing pages: kept between requests while this instance hears what changes them, else asked each time. */
    listings: Pick<CatalogClient, 'searchProducts'>;
  }
}
