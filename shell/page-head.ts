import { withinBudget } from '@shop/frontend-server/budget';
import type { PageHead } from '@shop/frontend-server/page-head';
import { firstRequestFor } from '@shop/mfe-catalog/first-request';
import type { CatalogPage, ProductDetailPage } from '@shop/contracts/api/web';
import { config } from './src/config/app.ts';
import { headerFragments, matchPage, notFoundPage, pageTitle } from './src/config/pages.ts';
import type { RemotesFile } from './src/features/fragments/utils/parse-remotes.ts';
import type { ShellRenderInput } from './src/app/server-render.tsx';
import { FIRST_SCREENS_BLOCK_ID } from './src/features/fragments/utils/first-screen.ts';

/** The id of the data block with the first page's data (mfe-catalog's `src/lib/page-data.ts` reads it). */
export const PAGE_DATA_BLOCK_ID = 'page-data';

export interface PageHeadOptions {
  remotes: RemotesFile;
  /** bff-web, asked for the first page's data. */
  bffWebUrl: string;
  /** How long (ms) a page waits for its first data; past it the page goes without and the fragment fetches it. */
  dataBudgetMs: number;
  /** How long (ms) a page waits for a remote's manifest it has no copy of; past it the page goes without its preloads. */
  manifestBudgetMs: number;
  /**
   * How long (ms) a fetched manifest is used before it is fetched again (a fragment may be redeployed,
   * or stop answering); 0: fetched for every page, one fetch shared by the pages asking meanwhile.
   */
  manifestTtlMs: number;
  /**
   * How long (ms) a page waits for its fragment's server to render the fragment's first screen
   * (`POST <remote>/render`, after the first data); past it the slot shows its loading state until
   * the fragment's module renders in the browser.
   */
  firstScreenBudgetMs: number;
  /**
   * The shell's server render of `#root` (dist-ssr/server-render.js `renderShell`); without it the
   * page goes out with an empty root, rendered in the browser.
   */
  renderRoot?: (url: string, input: ShellRenderInput) => string;
  /** Logs a render that threw (the page then goes out with an empty root). */
  onRenderError?: (error: unknown) => void;
  fetch?: typeof fetch;
}

type Remote = RemotesFile['remotes'][number];

/** The fragment's server-rendered first screen of a page, and where it came from. */
interface FirstScreen {
  module: string;
  html: string;
  /** The remote's stylesheets for `module`: the HTML is painted with them. */
  stylesheets: string[];
}

/** The parts of `mf-manifest.json` (Module Federation 2 manifest) the page needs. */
interface FederationManifest {
  metaData?: { publicPath?: string; remoteEntry?: { name?: string; path?: string } };
  exposes?: { name?: string; path?: string; assets?: { js?: { sync?: string[]; async?: string[] }; css?: { sync?: string[] } } }[];
}

/** What to preload for one remote's modules. */
interface Preloads {
  fetches: string[];
  modules: string[];
  stylesheets: string[];
}

/**
 * The preloads for `modules` (`mfe_catalog/CatalogPage`) of a remote whose entry is `entry`: its
 * manifest (fetched by the federation runtime), its remote entry and, per module, the chunks and
 * stylesheets its manifest lists; nothing without a manifest. An entry that is a `.js` remote entry
 * itself is preloaded alone.
 */
export function preloadsFor(entry: string, manifest: FederationManifest | undefined, modules: readonly string[]): Preloads {
  if (!/\.json($|\?)/.test(entry)) return { fetches: [], modules: [entry], stylesheets: [] };
  // No manifest (the remote did not answer in time): nothing, as a preload of a hung server would hold
  // the page's load event; the runtime fetches it as before.
  if (!manifest) return { fetches: [], modules: [], stylesheets: [] };
  const preloads: Preloads = { fetches: [entry], modules: [], stylesheets: [] };
  const publicPath = manifest.metaData?.publicPath;
  // `auto` (or none) means next to the manifest; a relative entry is resolved against the page later.
  const base = publicPath && publicPath !== 'auto' ? publicPath : new URL('.', new URL(entry, 'http://page.invalid')).href;
  const resolve = (file: string) => new URL(file, base).href.replace(/^http:\/\/page\.invalid/, '');
  const remoteEntry = manifest.metaData?.remoteEntry;
  if (remoteEntry?.name) preloads.modules.push(resolve(`${remoteEntry.path ? `${remoteEntry.path}/` : ''}${remoteEntry.name}`));
  for (const id of modules) {
    const name = id.slice(id.indexOf('/') + 1);
    const expose = manifest.exposes?.find((e) => e.name === name || e.path === `./${name}`);
    if (!expose) continue;
    // The remote's shared-module shim (`…__loadShare__…`) is listed as async but every expose
    // imports it first; the remote's own copies of react & co. (the rest of `async`) stay unloaded.
    const js = [...(expose.assets?.js?.sync ?? []), ...(expose.assets?.js?.async ?? []).filter((f) => f.includes('__loadShare__'))];
    for (const file of js) preloads.modules.push(resolve(file));
    for (const file of expose.assets?.css?.sync ?? []) preloads.stylesheets.push(resolve(file));
  }
  return preloads;
}

const unique = (items: readonly string[]) => [...new Set(items)];

/**
 * The shell server's `head(url, remotes, session)`: for each page, the preloads of the fragments it
 * shows (header included), its title and description, its first data from bff-web (`/api/catalog?…`
 * or `/api/products/…`, under the URL the fragment will request) with the LCP image it names, and its
 * server-rendered `#root`: the shell's layout (`renderRoot`, with the inlined `session`) around the
 * page fragment's first screen, which the fragment's own server renders from that data (`POST
 * <remote>/render`); for the remotes given (this browser's), else `options.remotes`. Every wait has
 * its budget; whatever is late or failed is left out and the browser fetches or renders it as before.
 * Never rejects.
 */
export function createPageHead(options: PageHeadOptions): (url: URL, remotes?: object, session?: unknown) => Promise<PageHead> {
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const manifests = new Map<string, { at: number; pending: boolean; manifest: Promise<FederationManifest | undefined> }>();

  const fetchJson = <T>(url: string, budgetMs: number): Promise<T | undefined> =>
    withinBudget(budgetMs, async (signal) => {
      const response = await fetchFn(url, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) return undefined;
      return (await response.json()) as T;
    });

  // One fetch in flight per manifest, shared by the pages asking meanwhile; a copy younger than the
  // TTL is used as is. No stale copy past that: a remote that does not answer now gets no preloads,
  // since preloads of a hung server would hold the page's load event.
  const manifestOf = async (entry: string): Promise<FederationManifest | undefined> => {
    if (!/^https?:\/\//.test(entry) || !/\.json($|\?)/.test(entry)) return undefined;
    const cached = manifests.get(entry);
    const now = Date.now();
    if (cached && (cached.pending || now - cached.at < options.manifestTtlMs)) return cached.manifest;
    const record = {
      at: now,
      pending: true,
      manifest: fetchJson<FederationManifest>(entry, options.manifestBudgetMs)
        .catch(() => undefined)
        .finally(() => {
          record.pending = false;
        }),
    };
    manifests.set(entry, record);
    // Settles within the budget by itself (fetchJson), late or not.
    return record.manifest;
  };

  const firstData = async (url: URL): Promise<{ request: string; body: unknown } | undefined> => {
    const path = firstRequestFor(url.pathname, url.searchParams);
    if (!path) return undefined;
    const request = `${config.apiBase}${path}`;
    const body = await fetchJson<unknown>(new URL(request, options.bffWebUrl).href, options.dataBudgetMs).catch(() => undefined);
    return body === undefined ? undefined : { request, body };
  };

  // Server-side composition: the fragment's own server renders its first screen from the data the
  // page carries (one bff-web call for both), under its own budget. Without its manifest there is no
  // telling which stylesheets the HTML needs, and unstyled is worse than later: left out, as is
  // anything late, failed or not what was asked.
  const firstScreen = async (
    remote: Remote,
    module: string,
    url: URL,
    data: { request: string; body: unknown },
    manifest: Promise<FederationManifest | undefined>,
  ): Promise<FirstScreen | undefined> => {
    if (!options.firstScreenBudgetMs || !/^https?:\/\//.test(remote.entry) || !/\.json($|\?)/.test(remote.entry)) return undefined;
    const html = await withinBudget(options.firstScreenBudgetMs, async (signal) => {
      const response = await fetchFn(new URL('render', remote.entry).href, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/html' },
        body: JSON.stringify({ url: `${url.pathname}${url.search}`, data: { [data.request]: data.body } }),
        signal,
      });
      if (!response.ok || response.headers.get('x-fragment-module') !== module) {
        await response.body?.cancel();
        return undefined;
      }
      return response.text();
    });
    const fetched = await manifest;
    if (html === undefined || !fetched) return undefined;
    return { module, html, stylesheets: preloadsFor(remote.entry, fetched, [module]).stylesheets };
  };

  // `remotes`: the ones this page got (a browser may be on a fragment's canary), else the server's.
  // (typed `object` as the frontend server hands them over; the shell's server checked them).
  return async (url, pageRemotes = options.remotes, session) => {
    const remotes = pageRemotes as RemotesFile;
    const page = matchPage(url.pathname);
    const modules = [...headerFragments, ...(page ? [page.fragment, ...(page.alsoLoads ?? [])] : [])];
    const shown = remotes.remotes
      .map((remote) => ({ remote, used: modules.filter((id) => id.startsWith(`${remote.name}/`)) }))
      .filter(({ used }) => used.length > 0)
      .map((shownRemote) => ({ ...shownRemote, manifest: manifestOf(shownRemote.remote.entry) }));
    const pageRemote = page && shown.find(({ remote }) => page.fragment.startsWith(`${remote.name}/`));
    const [[data, screen], ...preloads] = await Promise.all([
      firstData(url).then(async (data) => {
        if (!data || !page || !pageRemote || !options.renderRoot) return [data, undefined] as const;
        const screen = await firstScreen(pageRemote.remote, page.fragment, url, data, pageRemote.manifest).catch(() => undefined);
        return [data, screen] as const;
      }),
      ...shown.map(async ({ remote, used, manifest }) => preloadsFor(remote.entry, await manifest, used)),
    ]);
    // The servers of the fragments this page shows, manifest fetched in time or not: a preconnect holds nothing.
    const preconnects = shown.filter(({ remote }) => /^https?:\/\//.test(remote.entry)).map(({ remote }) => new URL(remote.entry).origin);
    const head: PageHead = {
      preconnects: unique(preconnects),
      title: page?.title ?? notFoundPage.title,
      description: page?.description ?? notFoundPage.description,
      fetches: unique(preloads.flatMap((p) => p.fetches)),
      modules: unique(preloads.flatMap((p) => p.modules)),
      stylesheets: unique(preloads.flatMap((p) => p.stylesheets)),
    };
    let composed: string[] = [];
    if (options.renderRoot) {
      try {
        head.root = options.renderRoot(`${url.pathname}${url.search}`, {
          session: session as ShellRenderInput['session'],
          firstScreens: screen ? { [screen.module]: screen.html } : {},
        });
        if (screen) {
          composed = [screen.module];
          head.blockingStylesheets = screen.stylesheets;
          head.stylesheets = head.stylesheets?.filter((href) => !screen.stylesheets.includes(href));
        }
      } catch (error) {
        options.onRenderError?.(error);
      }
    }
    if (data) {
      head.data = { [PAGE_DATA_BLOCK_ID]: { [data.request]: data.body } };
      const catalog = data.body as Partial<CatalogPage>;
      const detail = data.body as Partial<ProductDetailPage>;
      if (Array.isArray(catalog.products)) {
        head.lcpImage = catalog.products[0]?.image;
      } else if (detail.product) {
        head.lcpImage = detail.product.image;
        head.title = pageTitle(detail.product.name);
        head.description = detail.product.description;
      }
    }
    // Which slots hold a first screen: the browser hydrates those with their fragment.
    if (composed.length > 0) head.data = { ...head.data, [FIRST_SCREENS_BLOCK_ID]: composed };
    return head;
  };
}
