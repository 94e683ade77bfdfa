import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegisterBody } from '@shop/contracts/api/identity';
import type { Session } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';
import { announceSession } from '../../../lib/session.ts';

/** `POST /session/register` → 201, signed in with the guest cart merged; 409 when the email is taken, 400 naming fields. */
export function register(body: RegisterBody): Promise<Session> {
  return api.send<Session>('POST', '/session/register', body);
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: register, onSuccess: (session) => announceSession(queryClient, session) });
}
