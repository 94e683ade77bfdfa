import { describe, expect, it } from 'vitest';
import { createPageHead, PAGE_DATA_BLOCK_ID, preloadsFor } from './page-head.ts';
import { matchPage } from './src/config/pages.ts';

const manifest = {
  metaData: { publicPath: 'http://cat.example/', remoteEntry: { name: 'remoteEntry.js', path: '' } },
  exposes: [
    {
      name: 'CatalogPage',
      path: './CatalogPage',
      assets: {
        js: { sync: ['assets/catalog-page-1.js'], async: ['assets/react-1.js', 'assets/x__loadShare__shared-1.js'] },
        css: { sync: ['assets/catalog-page-1.css'] },
      },
    },
    { name: 'ProductPage', path: './ProductPage', assets: { js: { sync: ['assets/product-page-1.js'], async: [] }, css: { sync: [] } } },
  ],
};

describe('preloadsFor', () => {
  it('preloads the manifest, the remote entry and only the chunks of the modules the page shows', () => {
    expect(preloadsFor('http://cat.example/mf-manifest.json', manifest, ['mfe_catalog/CatalogPage'])).toEqual({
      fetches: ['http://cat.example/mf-manifest.json'],
      modules: ['http://cat.example/remoteEntry.js', 'http://cat.example/assets/catalog-page-1.js', 'http://cat.example/assets/x__loadShare__shared-1.js'],
      stylesheets: ['http://cat.example/assets/catalog-page-1.css'],
    });
  });

  it('resolves against the manifest when the public path is automatic, and preloads a bare remote entry alone', () => {
    const auto = { ...manifest, metaData: { ...manifest.metaData, publicPath: 'auto' } };
    expect(preloadsFor('/fragments/catalog/mf-manifest.json', auto, ['mfe_catalog/ProductPage']).modules).toEqual([
      '/fragments/catalog/remoteEntry.js',
      '/fragments/catalog/assets/product-page-1.js',
    ]);
    expect(preloadsFor('http://cat.example/remoteEntry.js', undefined, ['mfe_catalog/CatalogPage'])).toEqual({
      fetches: [],
      modules: ['http://cat.example/remoteEntry.js'],
      stylesheets: [],
    });
  });
});

describe('matchPage', () => {
  it('finds the page of a path, parameters matching one segment', () => {
    expect(matchPage('/')?.fragment).toBe('mfe_catalog/CatalogPage');
    expect(matchPage('/products/KIT-0001')?.fragment).toBe('mfe_catalog/ProductPage');
    expect(matchPage('/orders/abc')?.fragment).toBe('mfe_cart/OrderPage');
    expect(matchPage('/products/a/b')).toBeUndefined();
  });
});

const remotes = {
  remotes: [
    { name: 'mfe_catalog', entry: 'http://cat.example/mf-manifest.json' },
    { name: 'mfe_cart', entry: 'http://cart.example/mf-manifest.json' },
  ],
};
const catalogPage = { products: [{ sku: 'K-1', name: 'Kettle', image: '/api/images/K-1.svg' }], total: 1 };

/** bff-web and the fragment servers as the shell's server reaches them: answers by URL, after `delayMs`. */
function fakeFetch(answers: Record<string, unknown>, delayMs = 0): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      init?.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    });
    return url in answers ? Response.json(answers[url]) : new Response('{}', { status: 404 });
  }) as typeof fetch;
}

const options = { remotes, bffWebUrl: 'http://bff.example', dataBudgetMs: 200, manifestBudgetMs: 200, manifestTtlMs: 60_000 };

describe('createPageHead', () => {
  it('inlines the catalog page under the URL the fragment will request, with its first image to preload', async () => {
    const head = createPageHead({
      ...options,
      fetch: fakeFetch({
        'http://cat.example/mf-manifest.json': manifest,
        'http://bff.example/api/catalog?query=kettle&sort=relevance&page=1&pageSize=12': catalogPage,
      }),
    });
    const result = await head(new URL('http://shop.example/?query=kettle'));
    expect(result.data).toEqual({
      [PAGE_DATA_BLOCK_ID]: { '/api/catalog?query=kettle&sort=relevance&page=1&pageSize=12': catalogPage },
    });
    expect(result.lcpImage).toBe('/api/images/K-1.svg');
    expect(result.title).toBe('All products — Storefront');
    expect(result.modules).toContain('http://cat.example/assets/catalog-page-1.js');
    // The cart's manifest 404s: nothing of it is preloaded, the runtime finds it as before.
    expect(result.fetches).toEqual(['http://cat.example/mf-manifest.json']);
    expect(result.modules?.some((m) => m.startsWith('http://cart.example/'))).toBe(false);
    // Both fragments' servers are connected to early, the cart's too: its files are found later.
    expect(result.preconnects).toEqual(['http://cat.example', 'http://cart.example']);
  });

  it('names a product page after its product', async () => {
    const product = { product: { sku: 'K-1', name: 'Kettle', description: 'Boils water.', image: '/api/images/K-1.svg' } };
    const head = createPageHead({ ...options, fetch: fakeFetch({ 'http://bff.example/api/products/K-1': product }) });
    const result = await head(new URL('http://shop.example/products/K-1'));
    expect(result).toMatchObject({ title: 'Kettle — Storefront', description: 'Boils water.', lcpImage: '/api/images/K-1.svg' });
  });

  it('leaves out whatever misses its budget, so the page is never held longer than that', async () => {
    const head = createPageHead({
      ...options,
      dataBudgetMs: 50,
      manifestBudgetMs: 50,
      fetch: fakeFetch({ 'http://bff.example/api/catalog?sort=relevance&page=1&pageSize=12': catalogPage }, 1_000),
    });
    const started = Date.now();
    const result = await head(new URL('http://shop.example/'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(result.data).toBeUndefined();
    expect(result.modules).toEqual([]);
    expect(result.title).toBe('All products — Storefront');
  });

  it('has a title and description for every page, and for none', async () => {
    const head = createPageHead({ ...options, fetch: fakeFetch({}) });
    for (const path of ['/cart', '/checkout', '/orders', '/orders/1', '/account', '/nowhere']) {
      const result = await head(new URL(`http://shop.example${path}`));
      expect(result.title, path).toMatch(/ — Storefront$/);
      expect(result.description, path).toBeTruthy();
      expect(result.data, path).toBeUndefined();
    }
  });
});
