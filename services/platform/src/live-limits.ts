/** The most products one `watch` request may name (the live contracts' limit, both BFFs). */
export const MAX_SKUS_PER_WATCH = 100;
/** The most products one `unwatch` may name (any socket's whole watch list, at the largest limit operators set in practice). */
export const MAX_SKUS_PER_UNWATCH = 500;
/** The default of the most products one socket may watch at once (LIVE_MAX_WATCHED_PER_SOCKET), so one client cannot hold a hub's memory. */
export const MAX_SKUS_PER_SOCKET = 100;

/**
 * The `watch` answer for a socket that would pass `max` watched products by adding `adding` to the
 * `watching` it has; null when within the limit.
 */
export function watchLimitError(watching: number, adding: number, max = MAX_SKUS_PER_SOCKET): { error: string } | null {
  if (watching + adding <= max) return null;
  return { error: `one connection may watch at most ${max} products; unwatch some first` };
}
