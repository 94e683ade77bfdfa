import type { ComponentType } from 'react';

/** The parts of a federation runtime instance this fragment uses. */
interface FederationInstance {
  name: string;
  options?: { remotes?: readonly { name: string; alias?: string }[] };
  loadRemote<T>(id: string): Promise<T | null>;
}

/**
 * The federation runtime's page-wide registry of instances, where `getInstance(finder)` of
 * `@module-federation/runtime` looks too. Read directly: importing the runtime into this remote
 * would make the federation plugin initialise a second host here.
 */
function instances(): readonly FederationInstance[] {
  const registry = (globalThis as { __FEDERATION__?: { __INSTANCES__?: FederationInstance[] } }).__FEDERATION__;
  return registry?.__INSTANCES__ ?? [];
}

/** The instance that registered `remote` (the shell, from its `/remotes.json`). */
export function hostKnowing(remote: string, all: readonly FederationInstance[] = instances()): FederationInstance | undefined {
  return all.find((instance) => instance.options?.remotes?.some((r) => r.name === remote || r.alias === remote));
}

/**
 * Loads `<remote>/<module>` through the runtime the page's host registered the remote with, so
 * this fragment never needs to know where another team's fragment is deployed.
 */
export async function loadRemoteComponent<P extends object>(id: string): Promise<ComponentType<P>> {
  const remote = id.split('/')[0] ?? id;
  const host = hostKnowing(remote);
  if (!host) throw new Error(`no federation host on this page has registered ${remote}`);
  const module = await host.loadRemote<{ default?: ComponentType<P> }>(id);
  if (!module || typeof module.default !== 'function') throw new Error(`${id} did not export a component`);
  return module.default;
}
