import type { Category } from '@shop/contracts/api/catalog';
import type { CatalogClient } from './catalog.ts';

/** The catalog's categories (with their product counts) as a BFF keeps them between pages. */
export interface CategoryCache {
  /**
   * The categories: the kept list while it is fresh; a stale one at once while a single refresh runs in
   * the background (stale-while-revalidate); the first time, or after a failed first read, whatever
   * catalog answers. Throws the client's error only when there is no list to serve at all.
   */
  get(): Promise<Category[]>;
  /** Marks the list stale (a catalog event changed products): the next `get` refreshes it. */
  invalidate(): void;
}

export interface CategoryCacheOptions {
  catalog: Pick<CatalogClient, 'listCategories'>;
  /**
   * Age (ms) past which a list is refreshed even without an event: the safety net for events missed
   * while the live intake was down, and for category names, which no event carries.
   */
  maxAgeMs: number;
  /** Milliseconds since an arbitrary origin (tests pass their own clock). */
  now?: () => number;
  /** Hears a background refresh that failed (the stale list is kept meanwhile). */
  onRefreshError?: (err: unknown) => void;
}

/**
 * Categories change only when products do, so a catalog page need not ask for them every time: the
 * BFF keeps them and refreshes them when catalog's events say a product changed (`invalidate`) or
 * after `maxAgeMs`. At most one refresh is in flight at a time.
 */
export function createCategoryCache({ catalog, maxAgeMs, now = performance.now.bind(performance), onRefreshError }: CategoryCacheOptions): CategoryCache {
  let list: Category[] | undefined;
  let fetchedAt = 0;
  let stale = false;
  let refreshing: Promise<Category[]> | undefined;

  const refresh = () => {
    // An invalidation that arrives while a refresh is in flight must not be lost: it marks the
    // result stale again, since the answer may predate the change.
    stale = false;
    const startedAt = now();
    refreshing ??= catalog
      .listCategories()
      .then((categories) => {
        list = categories;
        fetchedAt = startedAt;
        return categories;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  return {
    async get() {
      if (list === undefined) return refreshing ?? refresh();
      if (stale || now() - fetchedAt > maxAgeMs) {
        if (!refreshing) {
          refresh().catch((err: unknown) => {
            stale = true; // try again on the next page
            onRefreshError?.(err);
          });
        }
      }
      return list;
    },
    invalidate() {
      stale = true;
    },
  };
}
