// @vitest-environment happy-dom
import { act, type ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogAnswer, CATALOG_KEY, productAnswer } from '../../test/catalog-fixture.ts';
import { PAGE_DATA_BLOCK_ID, resetPageData, takePageData } from '../lib/page-data.ts';
import CatalogPageEntry from './expose/catalog-page.tsx';
import ProductPageEntry from './expose/product-page.tsx';
import { renderFirstScreen } from './server-render.tsx';

// The page's socket is not what this is about: a stand-in that watches nothing.
vi.mock('@shop/live-client', () => {
  const off = () => () => {};
  return { getLiveClient: () => ({ watch: off, onStockChanged: off, onPriceChanged: off, onResync: off }) };
});

// The cart's button (another fragment) is still loading: its slot stays as the server left it.
vi.mock('../lib/federation.ts', () => ({ loadRemoteComponent: () => new Promise(() => {}) }));

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

afterEach(() => {
  document.body.innerHTML = '';
  resetPageData();
});

/** The shell's page as its server writes it: the first data inlined, the fragment's server HTML in its slot. */
function pageWith(data: Record<string, unknown>, serverHtml: string): HTMLElement {
  const block = document.createElement('script');
  block.type = 'application/json';
  block.id = PAGE_DATA_BLOCK_ID;
  block.textContent = JSON.stringify(data);
  const slot = document.createElement('div');
  slot.innerHTML = serverHtml;
  document.body.append(block, slot);
  return slot;
}

/** The exposed component inside the shell's router at `url`, as the shell renders it. */
const inShell = (url: string, element: ReactNode, path: string) => (
  <MemoryRouter initialEntries={[url]}>
    <Routes>
      <Route path={path} element={element} />
    </Routes>
  </MemoryRouter>
);

/** Hydrates `element` over the slot's server HTML; the recoverable errors React reports (mismatches). */
async function hydrate(slot: HTMLElement, element: ReactNode): Promise<unknown[]> {
  const errors: unknown[] = [];
  await act(async () => {
    hydrateRoot(slot, element, { onRecoverableError: (error) => void errors.push(error) });
  });
  // Effects and what they start (the cart button's load) have their turn.
  await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  return errors;
}

/**
 * The markup under `node` as a shopper's browser holds it, in a form where two renders compare equal when
 * they show the same: attributes sorted (React sets them in another order when it renders afresh), text
 * joined (a server render marks text boundaries with comments), the <select>'s choice left out (an
 * attribute in server HTML, a property when rendered afresh), and `disabled` left out (the server's
 * toolbar is disabled until the fragment takes its place: asserted on its own).
 */
function canonical(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const element = node as Element;
  const attributes = [...element.attributes]
    .filter((a) => a.name !== 'selected' && a.name !== 'disabled')
    .map((a) => `${a.name}=${JSON.stringify(a.value)}`)
    .sort();
  const children = [...element.childNodes].map(canonical).join('');
  return `<${element.localName} ${attributes.join(' ')}>${children}</${element.localName}>`;
}

describe("the browser's first render of the fragment, given the data the shell inlined", () => {
  it('hydrates the catalog page over its server HTML without a mismatch, leaving it as it was', async () => {
    const data = { [CATALOG_KEY]: catalogAnswer() };
    const serverHtml = renderFirstScreen('/', data)!.html;
    const slot = pageWith(data, serverHtml);
    const before = slot.innerHTML;
    // Nothing typed or picked before the fragment takes over could be kept: the server's toolbar is disabled.
    expect(slot.querySelectorAll('input:disabled, select:disabled, button:disabled')).toHaveLength(4);
    const errors = await hydrate(slot, inShell('/', <CatalogPageEntry />, '/'));
    expect(errors).toEqual([]);
    expect(slot.innerHTML).toBe(before.replaceAll(' disabled=""', ''));
    expect(slot.querySelectorAll(':disabled')).toHaveLength(0);
    expect(slot.textContent).not.toContain('Loading');
    // The inlined answer served the first render, and is gone: the next request asks bff-web.
    expect(takePageData(CATALOG_KEY)).toBeUndefined();
  });

  it('hydrates the product page over its server HTML without a mismatch', async () => {
    const data = { '/api/products/KIT-0007': productAnswer(7) };
    const serverHtml = renderFirstScreen('/products/KIT-0007', data)!.html;
    const slot = pageWith(data, serverHtml);
    const before = slot.innerHTML;
    const errors = await hydrate(slot, inShell('/products/KIT-0007', <ProductPageEntry sku="KIT-0007" />, '/products/:sku'));
    expect(errors).toEqual([]);
    expect(slot.innerHTML).toBe(before);
    expect(slot.querySelector('h1')?.textContent).toBe(productAnswer(7).product.name);
  });

  it('renders afresh (no hydration) the same markup as the server, with the data and no Loading state', async () => {
    const data = { '/api/catalog?query=chef&sort=relevance&page=2&pageSize=12': { ...catalogAnswer(), page: 2 } };
    const serverHtml = renderFirstScreen('/?query=chef&page=2', data)!.html;
    const server = pageWith(data, serverHtml);
    const container = document.createElement('div');
    document.body.append(container);
    await act(async () => {
      createRoot(container).render(inShell('/?query=chef&page=2', <CatalogPageEntry />, '/'));
    });
    expect(container.querySelectorAll('article[data-sku]')).toHaveLength(12);
    expect(container.querySelectorAll(':disabled')).toHaveLength(0);
    expect(canonical(container)).toBe(canonical(server));
  });
});
