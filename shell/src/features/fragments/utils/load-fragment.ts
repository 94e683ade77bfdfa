import type { ComponentType } from 'react';
import { loadRemote, registerPlugins, registerRemotes } from '@module-federation/runtime';
import { FRAGMENT_LOAD_BUDGET_MS } from '../../../config/fragments.ts';
import { getRemotes } from '../api/get-remotes.ts';
import { freshEntryPlugin } from './fresh-entry-plugin.ts';
import type { RemoteDefinition } from './parse-remotes.ts';
import { planRegistration, remoteOf } from './plan-registration.ts';
import { withBudget } from './with-budget.ts';

let registered: Promise<void> | undefined;
/** What a fragment waits for before it renders (the session, see main.tsx); its files load meanwhile. */
let renderGate: Promise<unknown> = Promise.resolve();
/** The remotes as the runtime has them registered, from the latest `/remotes.json` read. */
let current: RemoteDefinition[] = [];
/** How often each remote was registered afresh: its entry is then imported under a new URL. */
const reloads = new Map<string, number>();
let pluginRegistered = false;

/** A remote as the runtime takes it: its `version` is our release's, which the runtime would read as its own (module ids, snapshots). */
const forRuntime = ({ name, entry }: RemoteDefinition): RemoteDefinition => ({ name, entry });

/**
 * Registers the remotes listed in `/remotes.json` (inlined in the page, or fetched) with the
 * federation runtime, once per page. Fragments download at once but render only once `before` has
 * settled too (see main.tsx). Rejects when the file cannot be fetched or parsed; the next call tries again.
 */
export function registerRemotesOnce(before?: Promise<unknown>): Promise<void> {
  if (before) renderGate = before.catch(() => undefined);
  registered ??= getRemotes()
    .then(({ remotes }) => {
      registerRemotes(remotes.map(forRuntime));
      current = remotes;
    })
    .catch((error: unknown) => {
      // Let the next attempt (a slot's "Try again") fetch the list again.
      registered = undefined;
      throw error;
    });
  return registered;
}

/**
 * Fetches `/remotes.json` afresh (a fragment may have been redeployed or moved since the page loaded)
 * and registers what changed, plus the remote `retrying` again from scratch. Rejects like getRemotes.
 */
async function refreshRemotes(retrying: string): Promise<void> {
  await registered?.catch(() => undefined);
  const { remotes } = await getRemotes();
  const plan = planRegistration(remotes, current, retrying);
  if (!pluginRegistered) {
    registerPlugins([freshEntryPlugin((name) => reloads.get(name))]);
    pluginRegistered = true;
  }
  for (const { name } of plan.replaced) reloads.set(name, (reloads.get(name) ?? 0) + 1);
  if (plan.added.length > 0) registerRemotes(plan.added.map(forRuntime));
  if (plan.replaced.length > 0) registerRemotes(plan.replaced.map(forRuntime), { force: true });
  current = [...current.filter((r) => !remotes.some((f) => f.name === r.name)), ...remotes];
  registered = Promise.resolve();
}

async function importFragment<P extends object>(id: string, fresh: boolean): Promise<ComponentType<P>> {
  await (fresh ? refreshRemotes(remoteOf(id)) : registerRemotesOnce());
  const [module] = await Promise.all([loadRemote<{ default?: ComponentType<P> }>(id), renderGate]);
  if (!module || typeof module.default !== 'function') {
    throw new Error(`fragment ${id} did not export a component`);
  }
  return module.default;
}

/**
 * Loads `<remote>/<module>` and returns its default export, the fragment's entry component. With
 * `fresh` (a slot's "Try again") it first re-reads `/remotes.json` and re-registers the remote, so
 * nothing the runtime cached from a failed or outdated load is used. Rejects when it fails or takes
 * longer than FRAGMENT_LOAD_BUDGET_MS (BudgetExceededError).
 */
export function loadFragment<P extends object>(id: string, { fresh = false } = {}): Promise<ComponentType<P>> {
  return withBudget(importFragment<P>(id, fresh), FRAGMENT_LOAD_BUDGET_MS, `loading fragment ${id}`);
}
