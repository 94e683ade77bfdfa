import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PasswordGrantBody } from '@shop/contracts/api/identity';
import type { Session } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';
import { announceSession } from '../../../lib/session.ts';

/** `POST /session/sign-in` → the account's session (the guest cart merged in); 401 for a wrong email or password. */
export function signIn(body: PasswordGrantBody): Promise<Session> {
  return api.send<Session>('POST', '/session/sign-in', body);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: signIn, onSuccess: (session) => announceSession(queryClient, session) });
}
