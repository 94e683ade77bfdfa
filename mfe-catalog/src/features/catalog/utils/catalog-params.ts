import type { CatalogPageQuery } from '@shop/contracts/api/web';

export type SortOrder = NonNullable<CatalogPageQuery['sort']>;

export const sortOptions: ReadonlyArray<{ value: SortOrder; label: string }> = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'price-asc', label: 'Price: low to high' },
  { value: 'price-desc', label: 'Price: high to low' },
  { value: 'name', label: 'Name' },
];

/** What the catalog page shows, kept in the URL so reload and back/forward restore it. */
export interface CatalogParams {
  query: string;
  category: string;
  sort: SortOrder;
  page: number;
}

export const defaultCatalogParams: CatalogParams = { query: '', category: '', sort: 'relevance', page: 1 };

// The BFF rejects longer values with a 400; a hand-edited URL is trimmed rather than shown an error.
const MAX_QUERY = 100;
const MAX_CATEGORY = 60;
const MAX_PAGE = 1000;

function isSortOrder(value: string | null): value is SortOrder {
  return sortOptions.some((option) => option.value === value);
}

export function parseCatalogParams(search: URLSearchParams): CatalogParams {
  const page = Number.parseInt(search.get('page') ?? '', 10);
  const sort = search.get('sort');
  return {
    query: (search.get('query') ?? '').trim().slice(0, MAX_QUERY),
    category: (search.get('category') ?? '').slice(0, MAX_CATEGORY),
    sort: isSortOrder(sort) ? sort : defaultCatalogParams.sort,
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** Only values that differ from the defaults go into the URL, so `/` stays `/`. */
export function toSearchParams(params: CatalogParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.query) search.set('query', params.query);
  if (params.category) search.set('category', params.category);
  if (params.sort !== defaultCatalogParams.sort) search.set('sort', params.sort);
  if (params.page > 1) search.set('page', String(params.page));
  return search;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
