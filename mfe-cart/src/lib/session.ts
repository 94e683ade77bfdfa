import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Session } from '@shop/contracts/api/web';
import { getLiveClient } from '@shop/live-client';
import { sessionChangedEvent } from '../events.ts';
import { api } from './api-client.ts';

/**
 * Who is shopping. Shared by every feature of this fragment (checkout, orders and the account page
 * need it), so it lives here rather than in one feature; the shell fetches its own copy to display.
 */
export const sessionQueryKey = ['session'] as const;

export function sessionQueryOptions() {
  return queryOptions({ queryKey: sessionQueryKey, queryFn: () => api.session() });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}

/**
 * After the server switched the session (sign-in, registration, sign-out): the socket's rooms
 * were chosen from the old cookie, so it reconnects, and the page hears `session:changed`
 * (this fragment's own listener refetches its cart and orders; the shell refetches its header).
 */
export function announceSession(queryClient: QueryClient, session: Session): void {
  getLiveClient().reconnect();
  window.dispatchEvent(sessionChangedEvent({ user: session.user }));
  // After the event: its listeners drop what they knew about the old session.
  api.remember(session);
  queryClient.setQueryData(sessionQueryKey, session);
}
