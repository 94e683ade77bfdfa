import type { RemoteDefinition } from './parse-remotes.ts';

/** What to tell the federation runtime after fetching `/remotes.json` again. */
export interface RegistrationPlan {
  /** Not registered yet: register as they are. */
  added: RemoteDefinition[];
  /** Registered already but to be loaded afresh: registered again with `force`, dropping the runtime's caches. */
  replaced: RemoteDefinition[];
}

/**
 * Compares a fresh `/remotes.json` with what is registered. A remote whose entry moved is replaced;
 * so is `retrying`, the remote whose fragment failed, even at the same entry: the runtime caches its
 * manifest and its failed or stale entry, and only a forced registration clears them. Remotes gone
 * from the file stay registered (a page may still show them).
 */
export function planRegistration(
  fresh: readonly RemoteDefinition[],
  registered: readonly RemoteDefinition[],
  retrying?: string,
): RegistrationPlan {
  const plan: RegistrationPlan = { added: [], replaced: [] };
  for (const remote of fresh) {
    const known = registered.find((r) => r.name === remote.name);
    if (!known) plan.added.push(remote);
    else if (known.entry !== remote.entry || remote.name === retrying) plan.replaced.push(remote);
  }
  return plan;
}

/** The federation name of a fragment id `<remote>/<module>`. */
export function remoteOf(fragmentId: string): string {
  return fragmentId.slice(0, fragmentId.indexOf('/'));
}
