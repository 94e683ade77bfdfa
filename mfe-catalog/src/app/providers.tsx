import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiRequestError } from '../lib/api-client.ts';
import { config } from '../config/app.ts';

/** A query client with the fragment's settings: the page's own in the browser, a fresh one per server render. */
export function createCatalogQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: config.staleTimeMs,
        // A 4xx will not get better by asking again.
        retry: (failures, error) => !(error instanceof ApiRequestError && error.status < 500) && failures < 2,
      },
    },
  });
}

// One client per fragment (not per mount), so data survives navigating between its pages,
// and never the shell's: a fragment's cache is its own business.
const pageQueryClient = createCatalogQueryClient();

/**
 * The fragment's providers. `client`: another query client than the page's one (a server render
 * passes its own, seeded with the page's data, so no two requests share a cache).
 */
export function CatalogProviders({ children, client = pageQueryClient }: { children: ReactNode; client?: QueryClient }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
