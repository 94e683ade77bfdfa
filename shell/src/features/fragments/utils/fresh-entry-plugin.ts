import type { ModuleFederationRuntimePlugin } from '@module-federation/runtime';

/**
 * `entry` with a `reload` query parameter naming the attempt (1, 2, …). A browser keeps an ES module
 * per URL for the page's life, a failed import included, so a remote entry that failed or was
 * redeployed under the same URL can only be imported afresh under another one.
 */
export function reloadUrl(entry: string, attempt: number): string {
  const url = new URL(entry, globalThis.location?.href ?? 'http://origin.invalid');
  url.searchParams.set('reload', String(attempt));
  return url.href;
}

/**
 * A federation runtime plugin that imports the ES-module remote entry of a remote under a fresh URL
 * once `attempt(name)` names an attempt; before that (and for other entry types) the runtime loads it
 * as usual. Rejects like a dynamic import.
 */
export function freshEntryPlugin(attempt: (remoteName: string) => number | undefined): ModuleFederationRuntimePlugin {
  return {
    name: 'shell-fresh-entry',
    async loadEntry({ remoteInfo }) {
      const n = attempt(remoteInfo.name);
      if (n === undefined || (remoteInfo.type !== 'module' && remoteInfo.type !== 'esm')) return undefined;
      return import(/* @vite-ignore */ reloadUrl(remoteInfo.entry, n));
    },
  };
}
