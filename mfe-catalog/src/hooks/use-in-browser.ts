import { startTransition, useEffect, useState } from 'react';

/**
 * False on the server and in the browser's first render (which hydrates the server's HTML), true from
 * the render after: what the fragment's server-rendered first screen shows until the fragment itself
 * takes its place.
 *
 * It turns true in a transition, which React renders in slices between the browser's own work: after
 * hydration the tiles' add-to-cart buttons and the toolbar come alive without one long task blocking
 * input (`useSyncExternalStore` with a server snapshot re-renders every user at once, synchronously).
 */
export function useInBrowser(): boolean {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => startTransition(() => setInBrowser(true)), []);
  return inBrowser;
}
