import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { sessionQueryKey } from '../api/get-session.ts';

/** Someone on the page signed in, registered or signed out (`session:changed`): show the new session. */
export function useSessionChanged(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onChanged = () => {
      api.forget();
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    };
    window.addEventListener('session:changed', onChanged);
    return () => window.removeEventListener('session:changed', onChanged);
  }, [queryClient]);
}
