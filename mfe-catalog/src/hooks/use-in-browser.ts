import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * False on the server and while React hydrates server HTML, true in any other browser render: what
 * the fragment's server-rendered first screen shows until the fragment itself takes its place.
 */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => !import.meta.env.SSR,
    () => false,
  );
}
