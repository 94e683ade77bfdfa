import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { stockLabel } from '../lib/stock-label.ts';
import { catalogAnswer, CATALOG_KEY, productAnswer } from '../../test/catalog-fixture.ts';
import { CATALOG_PAGE_MODULE, PRODUCT_PAGE_MODULE, RenderDataError, renderFirstScreen } from './server-render.tsx';

// Rendered in Node, as the fragment's server does: a render that touched window or document would fail here.
/** The HTML parsed, to ask it what a shopper would see. */
function parse(html: string): Document {
  const document = new Window().document as unknown as Document;
  document.body.innerHTML = html;
  return document;
}

describe('renderFirstScreen', () => {
  it('renders the catalog page: every product with its name, price and stock, its tile marked by sku', () => {
    const answer = catalogAnswer();
    const screen = renderFirstScreen('/', { [CATALOG_KEY]: answer });
    expect(screen?.module).toBe(CATALOG_PAGE_MODULE);
    const doc = parse(screen?.html ?? '');
    const tiles = [...doc.querySelectorAll('article[data-sku]')];
    expect(tiles.map((tile) => tile.getAttribute('data-sku'))).toEqual(answer.products.map((p) => p.sku));
    for (const [i, product] of answer.products.entries()) {
      const tile = tiles[i]!;
      // Named by its heading, as the tests of the whole system find it.
      expect(doc.getElementById(tile.getAttribute('aria-labelledby') ?? '')?.textContent).toBe(product.name);
      expect(tile.querySelector('[data-testid="price"]')?.textContent).toBe(product.price.formatted);
      expect(tile.querySelector('[data-testid="stock"]')?.textContent).toBe(stockLabel(product.stock));
    }
    // Prices as bff-web wrote them (the fixture's own text), not formatted again by the fragment.
    expect(tiles.map((t) => t.querySelector('[data-testid="price"]')?.textContent).slice(0, 2)).toEqual(['EUR 11.99', 'EUR 12.99']);
    expect(tiles.map((t) => t.querySelector('[data-testid="stock"]')?.textContent).slice(0, 4)).toEqual(['In stock', 'Only 3 left', 'Out of stock', 'Stock unavailable']);
    expect(doc.body.textContent).toContain('30 products');
    expect(doc.body.textContent).not.toContain('Loading');
    // No preload React hoists for a document's head: the slot holds the fragment's markup only.
    expect(screen?.html.startsWith('<section')).toBe(true);
  });

  it("leaves the cart's button slot empty, as the browser shows it until that fragment loads, sold out or not", () => {
    const doc = parse(renderFirstScreen('/', { [CATALOG_KEY]: catalogAnswer() })?.html ?? '');
    const soldOut = doc.querySelector('article[data-sku="KIT-0003"]')!;
    expect(soldOut.querySelector('[data-testid="stock"]')?.getAttribute('data-status')).toBe('out');
    // The tile's last child is the slot: empty, no button a shopper could press before it is the real one.
    expect(soldOut.lastElementChild?.outerHTML).toMatch(/^<div class="[^"]*slot[^"]*"><\/div>$/);
    expect(doc.querySelectorAll('article button')).toHaveLength(0);
  });

  it('renders the catalog page the url asks for (search, page) from that request\'s answer', () => {
    const key = '/api/catalog?query=chef&sort=relevance&page=2&pageSize=12';
    const screen = renderFirstScreen('/?query=chef&page=2', { [key]: { ...catalogAnswer(), page: 2 } });
    const doc = parse(screen?.html ?? '');
    expect(doc.querySelector('h1')?.textContent).toBe('Results for “chef”');
    expect(doc.querySelector('[aria-current="page"]')?.textContent).toBe('Page 2 of 3');
  });

  it('renders the product page from its answer', () => {
    const answer = productAnswer(7);
    const screen = renderFirstScreen('/products/KIT-0007', { '/api/products/KIT-0007': answer });
    expect(screen?.module).toBe(PRODUCT_PAGE_MODULE);
    const doc = parse(screen?.html ?? '');
    expect(doc.querySelector('h1')?.textContent).toBe(answer.product.name);
    expect(doc.querySelector('[data-testid="price"]')?.textContent).toBe(answer.product.price.formatted);
    expect(doc.querySelector('[data-testid="stock"]')?.textContent).toBe('In stock');
  });

  it('renders nothing for a page this fragment does not fill', () => {
    expect(renderFirstScreen('/cart', {})).toBeUndefined();
    expect(renderFirstScreen('/products/', {})).toBeUndefined();
    expect(renderFirstScreen('/products/%E0%A4%A', {})).toBeUndefined();
    expect(renderFirstScreen('//evil.example/', { [CATALOG_KEY]: catalogAnswer() })).toBeUndefined();
  });

  it('throws RenderDataError for data without the first answer, or not of its shape', () => {
    const cases: Record<string, unknown>[] = [
      {},
      { '/api/catalog?pageSize=12': catalogAnswer() }, // another request's key
      { [CATALOG_KEY]: { products: 'none' } },
      { [CATALOG_KEY]: { ...catalogAnswer(), products: [{ sku: 'KIT-0001' }] } },
      { [CATALOG_KEY]: null },
      { [CATALOG_KEY]: [] },
      // More products than a page ever holds: refused before any is rendered (a costly render otherwise).
      { [CATALOG_KEY]: { ...catalogAnswer(), products: Array.from({ length: 49 }, () => catalogAnswer().products[0]) } },
    ];
    for (const data of cases) {
      expect(() => renderFirstScreen('/', data), JSON.stringify(data).slice(0, 80)).toThrow(RenderDataError);
    }
    expect(() => renderFirstScreen('/products/KIT-0007', { '/api/products/KIT-0007': catalogAnswer() })).toThrow(/not what the page needs: .*product/);
  });
});
