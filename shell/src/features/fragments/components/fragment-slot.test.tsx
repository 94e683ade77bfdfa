// @vitest-environment happy-dom
import { act, type ComponentType } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FragmentReport } from '@shop/contracts/api/fragment-reports';

// The federation runtime is the one part replaced: the remotes come from the page's inlined
// `/remotes.json` block as in production, and each fragment's module is what the test says.
const modules = new Map<string, () => Promise<{ default: ComponentType }>>();
const registered: unknown[] = [];
vi.mock('@module-federation/runtime', () => ({
  registerRemotes: (remotes: unknown[]) => registered.push(...remotes),
  registerPlugins: () => undefined,
  loadRemote: (id: string) => (modules.get(id) ?? (() => Promise.reject(new Error(`no module ${id}`))))(),
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let fetchMock: ReturnType<typeof vi.fn>;
let root: Root | undefined;

beforeEach(() => {
  // A fresh page load: the shell's modules (and what they remember) anew.
  vi.resetModules();
  modules.clear();
  registered.length = 0;
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  document.body.innerHTML = '';
});
afterEach(async () => {
  await act(async () => root?.unmount());
  root = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function inlineRemotes(remotes: unknown[]) {
  const block = document.createElement('script');
  block.type = 'application/json';
  block.id = 'remotes-json';
  block.textContent = JSON.stringify({ remotes });
  document.body.append(block);
}

const VERSIONED = [
  { name: 'mfe_catalog', entry: '/fragments/mfe_catalog/2.1.0-canary/mf-manifest.json', version: '2.1.0-canary' },
  { name: 'mfe_cart', entry: '/fragments/mfe_cart/1.4.0/mf-manifest.json', version: '1.4.0' },
];

/** Renders the given slots as the shell's pages do, and waits for their fragments to settle. */
async function renderSlots(ids: string[]) {
  const { FragmentSlot } = await import('./fragment-slot.tsx');
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root!.render(
      <>
        {ids.map((id) => (
          <FragmentSlot
            key={id}
            id={id as never}
            loading={<p>Loading {id}</p>}
            fallback={() => <p role="alert">{id} is unavailable</p>}
          />
        ))}
      </>,
    );
  });
  // Lazy loads settle over a few microtask turns.
  for (let i = 0; i < 5; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
  return container;
}

function reports(): { url: string; init: RequestInit; body: FragmentReport }[] {
  return (fetchMock.mock.calls as [string, RequestInit][]).map(([url, init]) => ({ url, init, body: JSON.parse(String(init.body)) }));
}

describe('fragment reports', () => {
  it('posts one render-error, with the version, for a fragment that throws, and no mounted', async () => {
    inlineRemotes(VERSIONED);
    const Broken = () => {
      throw new Error('Cannot read properties of undefined (reading "price")');
    };
    modules.set('mfe_catalog/CatalogPage', async () => ({ default: Broken }));
    modules.set('mfe_catalog/ProductPage', async () => ({ default: Broken }));

    const page = await renderSlots(['mfe_catalog/CatalogPage', 'mfe_catalog/ProductPage']);

    expect(page.textContent).toContain('mfe_catalog/CatalogPage is unavailable');
    expect(page.textContent).toContain('mfe_catalog/ProductPage is unavailable');
    expect(reports()).toHaveLength(1);
    const [sent] = reports();
    expect(sent!.url).toBe('/api/fragment-reports');
    expect(sent!.body).toEqual({
      fragment: 'mfe_catalog',
      version: '2.1.0-canary',
      kind: 'render-error',
      message: 'Cannot read properties of undefined (reading "price")',
    });
    expect(sent!.init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'same-origin' });
    expect((sent!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    // The federation runtime never sees the version (it would take it for a snapshot pointer).
    expect(registered).toEqual(VERSIONED.map(({ name, entry }) => ({ name, entry })));
  });

  it('posts mounted once per fragment, with its version, when it renders', async () => {
    inlineRemotes(VERSIONED);
    modules.set('mfe_catalog/CatalogPage', async () => ({ default: () => <h1>All products</h1> }));
    modules.set('mfe_cart/MiniCart', async () => ({ default: () => <a href="/cart">Cart (0)</a> }));
    modules.set('mfe_cart/CartPage', async () => ({ default: () => <h1>Your cart</h1> }));

    const page = await renderSlots(['mfe_catalog/CatalogPage', 'mfe_cart/MiniCart', 'mfe_cart/CartPage']);

    expect(page.textContent).toContain('All products');
    expect(page.textContent).toContain('Cart (0)');
    expect(reports().map((r) => r.body)).toEqual([
      { fragment: 'mfe_catalog', version: '2.1.0-canary', kind: 'mounted' },
      { fragment: 'mfe_cart', version: '1.4.0', kind: 'mounted' },
    ]);
  });

  it('posts load-failed, not render-error, when the remote cannot be loaded', async () => {
    inlineRemotes(VERSIONED);
    modules.set('mfe_cart/MiniCart', () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    modules.set('mfe_catalog/CatalogPage', async () => ({ default: () => <h1>All products</h1> }));

    const page = await renderSlots(['mfe_cart/MiniCart', 'mfe_catalog/CatalogPage']);

    expect(page.textContent).toContain('mfe_cart/MiniCart is unavailable');
    expect(reports().map((r) => r.body)).toEqual(
      expect.arrayContaining([
        { fragment: 'mfe_cart', version: '1.4.0', kind: 'load-failed', message: 'Failed to fetch dynamically imported module' },
        { fragment: 'mfe_catalog', version: '2.1.0-canary', kind: 'mounted' },
      ]),
    );
    expect(reports()).toHaveLength(2);
  });

  it('reports under a version derived from the entry when /remotes.json names none', async () => {
    inlineRemotes([{ name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' }]);
    modules.set('mfe_catalog/CatalogPage', async () => ({ default: () => <h1>All products</h1> }));

    await renderSlots(['mfe_catalog/CatalogPage']);

    expect(reports().map((r) => r.body)).toEqual([{ fragment: 'mfe_catalog', version: expect.stringMatching(/^entry-[0-9a-f]{8}$/), kind: 'mounted' }]);
  });

  it('keeps the page working when a report cannot be sent', async () => {
    inlineRemotes(VERSIONED);
    fetchMock.mockImplementation(() => {
      throw new TypeError('keepalive quota exceeded');
    });
    modules.set('mfe_catalog/CatalogPage', async () => ({ default: () => <h1>All products</h1> }));
    const page = await renderSlots(['mfe_catalog/CatalogPage']);
    expect(page.textContent).toContain('All products');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
