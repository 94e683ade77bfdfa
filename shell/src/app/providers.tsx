import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiRequestError } from '../lib/api-client.ts';

/** A query client with the shell's defaults: the browser's one below, or one per page the server renders. */
export function createShellQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        retry: (failures, error) => !(error instanceof ApiRequestError && error.status < 500) && failures < 2,
      },
    },
  });
}

// The shell's own cache (the session for the header); each fragment keeps its own inside its slot.
export const queryClient = createShellQueryClient();

/** The shell's providers around `children`; `client`: the server's per-page client (default: the browser's). */
export function ShellProviders({ children, client = queryClient }: { children: ReactNode; client?: QueryClient }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
