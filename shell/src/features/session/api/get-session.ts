import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';

export const sessionQueryKey = ['session'] as const;

/** `GET /api/session`: who is shopping, for the header. */
export function sessionQueryOptions() {
  return queryOptions({ queryKey: sessionQueryKey, queryFn: (): Promise<Session> => api.session() });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}
