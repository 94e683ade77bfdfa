/** The most products one `watch` request may name (the live contracts' limit, both BFFs). */
export const MAX_SKUS_PER_WATCH = 100;
/** The most products one socket may watch at once, so one client cannot hold a hub's memory. */
export const MAX_SKUS_PER_SOCKET = 500;

/**
 * The `watch` answer for a socket that would pass MAX_SKUS_PER_SOCKET by adding `adding` products to the
 * `watching` it has; null when within the limit.
 */
export function watchLimitError(watching: number, adding: number): { error: string } | null {
  if (watching + adding <= MAX_SKUS_PER_SOCKET) return null;
  return { error: `one connection may watch at most ${MAX_SKUS_PER_SOCKET} products; unwatch some first` };
}
