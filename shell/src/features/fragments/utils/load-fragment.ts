import type { ComponentType } from 'react';
import { loadRemote, registerRemotes } from '@module-federation/runtime';
import { getRemotes } from '../api/get-remotes.ts';

let registered: Promise<void> | undefined;

/**
 * Registers the remotes listed in `/remotes.json` with the federation runtime, once per page.
 * Fragments load only once `before` has settled too (see main.tsx).
 */
export function registerRemotesOnce(before?: Promise<unknown>): Promise<void> {
  registered ??= Promise.all([getRemotes(), before?.catch(() => undefined)])
    .then(([{ remotes }]) => registerRemotes(remotes))
    .catch((error: unknown) => {
      // Let the next attempt (a slot's "Try again") fetch the list again.
      registered = undefined;
      throw error;
    });
  return registered;
}

/** Loads `<remote>/<module>` and returns its default export, the fragment's entry component. */
export async function loadFragment<P extends object>(id: string): Promise<ComponentType<P>> {
  await registerRemotesOnce();
  const module = await loadRemote<{ default?: ComponentType<P> }>(id);
  if (!module || typeof module.default !== 'function') {
    throw new Error(`fragment ${id} did not export a component`);
  }
  return module.default;
}
