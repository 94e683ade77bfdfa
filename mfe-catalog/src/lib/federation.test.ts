import { describe, expect, it } from 'vitest';
import { hostKnowing, loadRemoteComponent } from './federation.ts';

const instance = (name: string, remotes: string[], modules: Record<string, unknown> = {}) => ({
  name,
  options: { remotes: remotes.map((r) => ({ name: r })) },
  loadRemote: async <T,>(id: string) => (modules[id] ?? null) as T | null,
});

describe('loading another fragment through the host', () => {
  it('finds the instance that registered the remote', () => {
    const catalog = instance('mfe_catalog', []);
    const shell = instance('shell', ['mfe_catalog', 'mfe_cart']);
    expect(hostKnowing('mfe_cart', [catalog, shell])).toBe(shell);
    expect(hostKnowing('mfe_search', [catalog, shell])).toBeUndefined();
  });

  it('says so when no host on the page knows the remote (the fragment running alone)', async () => {
    const g = globalThis as { __FEDERATION__?: unknown };
    const before = g.__FEDERATION__;
    g.__FEDERATION__ = { __INSTANCES__: [instance('mfe_catalog', [])] };
    try {
      await expect(loadRemoteComponent('mfe_cart/AddToCart')).rejects.toThrow('no federation host on this page has registered mfe_cart');
    } finally {
      g.__FEDERATION__ = before;
    }
  });

  it("returns the module's default export, and refuses a module without a component", async () => {
    const AddToCart = () => null;
    const g = globalThis as { __FEDERATION__?: unknown };
    const before = g.__FEDERATION__;
    g.__FEDERATION__ = {
      __INSTANCES__: [instance('shell', ['mfe_cart'], { 'mfe_cart/AddToCart': { default: AddToCart }, 'mfe_cart/Nothing': {} })],
    };
    try {
      await expect(loadRemoteComponent('mfe_cart/AddToCart')).resolves.toBe(AddToCart);
      await expect(loadRemoteComponent('mfe_cart/Nothing')).rejects.toThrow('did not export a component');
    } finally {
      g.__FEDERATION__ = before;
    }
  });
});
