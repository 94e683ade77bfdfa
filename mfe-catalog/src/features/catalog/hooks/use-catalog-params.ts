import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseCatalogParams, toSearchParams, type CatalogParams } from '../utils/catalog-params.ts';

/** Catalog state lives in the URL; every change is a history entry so back/forward walk through it. */
export function useCatalogParams(): [CatalogParams, (change: Partial<CatalogParams>) => void] {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseCatalogParams(search), [search]);
  const update = useCallback(
    (change: Partial<CatalogParams>) => {
      // Any change other than paging starts again at page 1.
      const next = { ...params, page: 1, ...change };
      setSearch(toSearchParams(next));
    },
    [params, setSearch],
  );
  return [params, update];
}
