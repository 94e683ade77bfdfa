import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ProductDetailPage } from '@shop/contracts/api/web';
import { apiGet, takeInlined } from '../../../lib/api-client.ts';
import { productRequest } from '../../../lib/first-request.ts';

export function getProduct(sku: string, signal?: AbortSignal): Promise<ProductDetailPage> {
  return apiGet<ProductDetailPage>(productRequest(sku), { signal });
}

export function productQueryOptions(sku: string) {
  return queryOptions({
    queryKey: ['product', sku] as const,
    queryFn: ({ signal }) => getProduct(sku, signal),
    // As the catalog page: the inlined answer is the first render's data, no "Loading product…" first.
    initialData: () => takeInlined<ProductDetailPage>(productRequest(sku)),
  });
}

export function useProduct(sku: string) {
  return useQuery(productQueryOptions(sku));
}
