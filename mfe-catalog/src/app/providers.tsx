import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiRequestError } from '../lib/api-client.ts';
import { config } from '../config/app.ts';

// One client per fragment (not per mount), so data survives navigating between its pages,
// and never the shell's: a fragment's cache is its own business.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: config.staleTimeMs,
      // A 4xx will not get better by asking again.
      retry: (failures, error) => !(error instanceof ApiRequestError && error.status < 500) && failures < 2,
    },
  },
});

export function CatalogProviders({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
