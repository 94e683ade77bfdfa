// @vitest-environment happy-dom
import { act, type ComponentType } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The federation runtime is the one part replaced: each fragment's module resolves when the test says.
const modules = new Map<string, () => Promise<{ default: ComponentType }>>();
vi.mock('@module-federation/runtime', () => ({
  registerRemotes: () => undefined,
  registerPlugins: () => undefined,
  loadRemote: (id: string) => (modules.get(id) ?? (() => new Promise(() => undefined)))(),
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
beforeEach(() => {
  vi.resetModules();
  modules.clear();
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
  document.body.innerHTML = '';
});
afterEach(async () => {
  await act(async () => root?.unmount());
  root = undefined;
  vi.unstubAllGlobals();
});

const session = { cartId: 'cart-1', csrfToken: 'csrf', user: { id: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com' } };
const FIRST_SCREEN = '<section><h1>All products</h1><article data-sku="K-1"><h2>Kettle</h2><p>€39.00</p></article></section>';

/** Serves `url` as the shell's server does, then hydrates it as main.tsx does; returns the root and the hydration errors. */
async function serveAndHydrate(url: string, firstScreens: Record<string, string>) {
  const { renderShell } = await import('./server-render.tsx');
  const html = renderShell(url, { session, firstScreens });
  window.history.replaceState(null, '', url);
  document.body.innerHTML =
    `<script type="application/json" id="remotes-json">{"remotes":[]}</script>` +
    `<script type="application/json" id="first-screens">${JSON.stringify(Object.keys(firstScreens))}</script><div id="root">${html}</div>`;
  const container = document.getElementById('root')!;
  const errors: unknown[] = [];
  // A fresh page: the browser's modules, loaded anew, as main.tsx sees them.
  const { App } = await import('./app.tsx');
  const { queryClient } = await import('./providers.tsx');
  const { sessionQueryKey } = await import('../features/session/api/get-session.ts');
  queryClient.setQueryData(sessionQueryKey, session);
  await act(async () => {
    root = hydrateRoot(container, <App />, { onRecoverableError: (error) => errors.push(error) });
  });
  return { container, html, errors };
}

describe('the server-rendered page', () => {
  it('hydrates without a mismatch, keeps the first screen while the fragment loads, and the fragment hydrates that same DOM', async () => {
    let load!: (module: { default: ComponentType }) => void;
    modules.set('mfe_catalog/CatalogPage', () => new Promise((resolve) => (load = resolve)));
    const { container, html, errors } = await serveAndHydrate('/', { 'mfe_catalog/CatalogPage': FIRST_SCREEN });

    expect(errors).toEqual([]);
    expect(html).toContain('Ada Lovelace'); // the header knows the shopper from the first byte
    expect(container.querySelector('main')?.innerHTML).toContain(FIRST_SCREEN);
    expect(container.textContent).not.toContain('Loading the catalog');
    const tile = container.querySelector('article[data-sku="K-1"]');

    // The fragment renders what its server rendered: it takes over the very elements on screen.
    const Catalog = () => (
      <section>
        <h1>All products</h1>
        <article data-sku="K-1">
          <h2>Kettle</h2>
          <p>€39.00</p>
        </article>
      </section>
    );
    await act(async () => load({ default: Catalog }));
    // The load settles over a few turns (remotes, budget, render gate).
    for (let i = 0; i < 5; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(errors).toEqual([]);
    expect(container.querySelector('article[data-sku="K-1"]')).toBe(tile);
    expect(container.querySelector('template')).toBeNull();
    expect(container.textContent).toContain('Ada Lovelace');
  });

  it('renders the fragment afresh, reporting it, when it does not match its first screen', async () => {
    let load!: (module: { default: ComponentType }) => void;
    modules.set('mfe_catalog/CatalogPage', () => new Promise((resolve) => (load = resolve)));
    const { container, errors } = await serveAndHydrate('/', { 'mfe_catalog/CatalogPage': FIRST_SCREEN });
    await act(async () => load({ default: () => <section><h1>Another build</h1></section> }));
    for (let i = 0; i < 5; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(container.querySelector('main')?.textContent).toBe('Another build');
    expect(errors).toHaveLength(1);
  });

  it('shows the slot loading without a first screen, and hydrates that too', async () => {
    const { container, errors } = await serveAndHydrate('/products/K-1', {});
    expect(errors).toEqual([]);
    expect(container.textContent).toContain('Loading the product…');
    expect(container.querySelector('a[href="/cart"]')?.textContent).toBe('Cart'); // the mini-cart's stand-in
  });
});
