import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Session } from '@shop/contracts/api/web';
import type { SessionChangedDetail } from '@shop/mfe-cart/events';
import { getLiveClient } from '@shop/live-client';
import { api } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

/** `POST /api/session/sign-out` → the guest session that follows. */
export function signOut(): Promise<Session> {
  return api.post<Session>('/session/sign-out');
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: (session) => {
      queryClient.setQueryData(sessionQueryKey, session);
      // The socket joined the account's rooms from the old cookie.
      getLiveClient().reconnect();
      // The cart fragment (which declares this event) drops the account's cart and orders.
      const detail: SessionChangedDetail = { user: session.user };
      window.dispatchEvent(new CustomEvent('session:changed', { detail }));
    },
  });
}
