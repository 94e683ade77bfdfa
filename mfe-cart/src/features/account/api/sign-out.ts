import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Session } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';
import { announceSession } from '../../../lib/session.ts';

/**
 * `POST /session/sign-out` → a guest session. Inside the shell its header signs out; this is for the
 * standalone page.
 */
export function signOut(): Promise<Session> {
  return api.send<Session>('POST', '/session/sign-out');
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: signOut, onSuccess: (session) => announceSession(queryClient, session) });
}
