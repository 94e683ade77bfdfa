import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { config } from '../config/app.ts';
import { SESSION_CHANGED } from '../events.ts';
import { api, isRetryable } from '../lib/api-client.ts';

// One client for the whole fragment (not per mount), so the mini-cart, the add-to-cart buttons and
// the pages share one cart; never the shell's or another fragment's.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: config.staleTimeMs,
      retry: (failures, error) => isRetryable(error) && failures < 2,
    },
  },
});

// Whoever switched the session (this fragment's account page or the shell's "Sign out"), the cart,
// the orders and the CSRF token this fragment holds belong to the previous shopper.
window.addEventListener(SESSION_CHANGED, () => {
  api.forget();
  void queryClient.invalidateQueries();
});

export function CartProviders({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
