import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session } from '@shop/contracts/api/web';
import { api } from '../../../lib/api-client.ts';

export const sessionQueryKey = ['session'] as const;

/** The id of the JSON data block in which the shell's server inlines bff-web's `GET /api/session` answer. */
export const SESSION_BLOCK_ID = 'session';

/**
 * The session the shell's server wrote into the page (the data block `#session`), when it did and it
 * reads as a Session; undefined otherwise (the page then asks `/api/session` itself).
 */
export function inlinedSession(doc: Document | undefined = globalThis.document): Session | undefined {
  const text = doc?.getElementById(SESSION_BLOCK_ID)?.textContent;
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Session> | null;
    if (!parsed || typeof parsed.cartId !== 'string' || typeof parsed.csrfToken !== 'string' || typeof parsed.user !== 'object') return undefined;
    return parsed as Session;
  } catch {
    return undefined; // a broken block costs one fetch, nothing else
  }
}

/** `GET /api/session`: who is shopping, for the header. */
export function sessionQueryOptions() {
  return queryOptions({ queryKey: sessionQueryKey, queryFn: (): Promise<Session> => api.session() });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}
