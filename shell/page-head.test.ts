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

/**
 * bff-web and the fragment servers as the shell's server reaches them: answers by URL (JSON, or a
 * function of the request giving the Response), after `delayMs`.
 */
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
    if (!(url in answers)) return new Response('{}', { status: 404 });
    const answer = answers[url];
    return answer instanceof Function ? (answer as (init?: RequestInit) => Response)(init) : Response.json(answer);
  }) as typeof fetch;
}

const options = {
  remotes,
  bffWebUrl: 'http://bff.example',
  dataBudgetMs: 200,
  manifestBudgetMs: 200,
  manifestTtlMs: 60_000,
  firstScreenBudgetMs: 200,
};

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

describe('createPageHead: the server-rendered page', () => {
  const catalogRequest = '/api/catalog?sort=relevance&page=1&pageSize=12';
  const tileHtml = '<section><h1>All products</h1><article data-sku="K-1">Kettle</article></section>';
  /** The catalog's server answering its render with `html` for `module`, recording what it was asked. */
  const renderingCatalog = (asked: unknown[], module = 'mfe_catalog/CatalogPage', status = 200) => ({
    'http://cat.example/mf-manifest.json': manifest,
    [`http://bff.example${catalogRequest}`]: catalogPage,
    'http://cat.example/render': (init?: RequestInit) => {
      asked.push(JSON.parse(String(init?.body)));
      return new Response(tileHtml, { status, headers: { 'content-type': 'text/html', 'x-fragment-module': module } });
    },
  });
  /** The shell's render as a stand-in: what it was given, as text. */
  const renderRoot = (url: string, input: { session?: unknown; firstScreens?: Readonly<Record<string, string>> }) =>
    `<div data-url="${url}">${JSON.stringify(input.session ?? null)}|${Object.entries(input.firstScreens ?? {}).map(([id, html]) => `${id}:${html}`).join()}</div>`;

  it("puts the catalog server's first screen in the shell's render, with the stylesheets it needs blocking the paint", async () => {
    const asked: unknown[] = [];
    const head = createPageHead({ ...options, renderRoot, fetch: fakeFetch(renderingCatalog(asked)) });
    const session = { cartId: 'c-1', csrfToken: 't', user: null };
    const result = await head(new URL('http://shop.example/'), remotes, session);
    // The fragment renders from the very data the page carries: one bff-web call for both.
    expect(asked).toEqual([{ url: '/', data: { [catalogRequest]: catalogPage } }]);
    expect(result.root).toBe(`<div data-url="/">${JSON.stringify(session)}|mfe_catalog/CatalogPage:${tileHtml}</div>`);
    expect(result.blockingStylesheets).toEqual(['http://cat.example/assets/catalog-page-1.css']);
    expect(result.stylesheets).not.toContain('http://cat.example/assets/catalog-page-1.css');
    // The browser hydrates that slot with the fragment: the page says which slots hold a first screen.
    expect(result.data).toEqual({ [PAGE_DATA_BLOCK_ID]: { [catalogRequest]: catalogPage }, 'first-screens': ['mfe_catalog/CatalogPage'] });
  });

  it('renders the shell alone when the fragment server is late, fails or answers for another module', async () => {
    for (const fetchFn of [
      fakeFetch(renderingCatalog([], 'mfe_catalog/ProductPage')),
      fakeFetch(renderingCatalog([], 'mfe_catalog/CatalogPage', 500)),
      fakeFetch({ ...renderingCatalog([]), 'http://cat.example/render': () => new Response('Not Found', { status: 404 }) }),
    ]) {
      const result = await createPageHead({ ...options, renderRoot, fetch: fetchFn })(new URL('http://shop.example/'));
      expect(result.root).toBe('<div data-url="/">null|</div>');
      expect(result.blockingStylesheets).toBeUndefined();
      expect(result.stylesheets).toContain('http://cat.example/assets/catalog-page-1.css');
      expect(result.data).not.toHaveProperty('first-screens');
    }
    // Late: within the data budget plus the render budget, the shell alone.
    const slowRender = fakeFetch(renderingCatalog([]), 1_000);
    const late = createPageHead({
      ...options,
      firstScreenBudgetMs: 50,
      renderRoot,
      fetch: (async (input: string | URL | Request, init?: RequestInit) =>
        String(input).endsWith('/render') ? slowRender(input, init) : fakeFetch(renderingCatalog([]))(input, init)) as typeof fetch,
    });
    const started = Date.now();
    const result = await late(new URL('http://shop.example/'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(result.root).toBe('<div data-url="/">null|</div>');
    expect(result.data).toBeDefined();
  });

  it("renders the shell alone by its budget when the fragment's answer starts and its body never ends", async () => {
    // What nodejs/node#56917 leaves behind: a body read, aborted midway, pending forever. It held a page for good.
    const endless = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('<section>')) });
    const head = createPageHead({
      ...options,
      firstScreenBudgetMs: 50,
      renderRoot,
      fetch: fakeFetch({
        ...renderingCatalog([]),
        'http://cat.example/render': () => new Response(endless, { headers: { 'content-type': 'text/html', 'x-fragment-module': 'mfe_catalog/CatalogPage' } }),
      }),
    });
    const started = Date.now();
    const result = await head(new URL('http://shop.example/'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(result.root).toBe('<div data-url="/">null|</div>');
    expect(result.data).toBeDefined();
  });

  it('leaves the root empty when the render throws, and keeps the rest of the head', async () => {
    const errors: unknown[] = [];
    const head = createPageHead({
      ...options,
      renderRoot: () => {
        throw new Error('render failed');
      },
      onRenderError: (error) => errors.push(error),
      fetch: fakeFetch(renderingCatalog([])),
    });
    const result = await head(new URL('http://shop.example/'));
    expect(result.root).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(result.blockingStylesheets).toBeUndefined();
    expect(result.data).toBeDefined();
    expect(result.modules).toContain('http://cat.example/assets/catalog-page-1.js');
  });
});
