import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CatalogPage } from '@shop/contracts/api/web';
import { apiGet, takeInlined } from '../../../lib/api-client.ts';
import { catalogPageRequest } from '../../../lib/first-request.ts';
import type { CatalogParams } from '../utils/catalog-params.ts';

export function getCatalogPage(params: CatalogParams, signal?: AbortSignal): Promise<CatalogPage> {
  return apiGet<CatalogPage>(catalogPageRequest(params), { signal });
}

export function catalogPageQueryOptions(params: CatalogParams) {
  return queryOptions({
    queryKey: ['catalog', 'page', params] as const,
    queryFn: ({ signal }) => getCatalogPage(params, signal),
    // The shell's server inlined this page's answer: the first render shows it (as the server-rendered
    // HTML did) instead of "Loading products…". Called only when the query is new to the cache.
    initialData: () => takeInlined<CatalogPage>(catalogPageRequest(params)),
    // Keep the old page on screen while the next one loads instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}

export function useCatalogPage(params: CatalogParams) {
  return useQuery(catalogPageQueryOptions(params));
}
