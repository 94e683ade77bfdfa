import { describe, expect, it } from 'vitest';
import { guardTreeShakenShared, namesImportedFrom, preloadEveryImport, scopedClassName } from '../src/vite-plugins.ts';

type Item = { type: 'chunk'; fileName: string; code: string; imports: string[]; dynamicImports: string[] } | { type: 'asset'; fileName: string; source: string };

const chunk = (fileName: string, code: string, imports: string[] = [], dynamicImports: string[] = []): Item => ({ type: 'chunk', fileName, code, imports, dynamicImports });
const asset = (fileName: string, source: string): Item => ({ type: 'asset', fileName, source });

/** Runs the plugin's hooks on `items` as Vite would at the end of a build; the page's HTML after. */
function run(items: Item[], exclude?: (file: string) => boolean): string {
  const plugin = preloadEveryImport(exclude);
  (plugin.configResolved as (config: { base: string }) => void)({ base: '/' });
  const bundle = Object.fromEntries(items.map((item) => [item.fileName, item]));
  (plugin.generateBundle as (options: unknown, bundle: Record<string, Item>) => void)({}, bundle);
  return String((bundle['index.html'] as { source: string }).source);
}

const html = (head: string) => `<!doctype html><html><head>${head}</head><body></body></html>`;

describe('preloadEveryImport', () => {
  it("preloads what the page's script reaches by static, dynamic and spelled-out imports, each once, and nothing else", () => {
    const page = run([
      asset('index.html', html('<script type="module" crossorigin src="/assets/boot-1.js"></script><link rel="modulepreload" crossorigin href="/assets/a-1.js">')),
      // The federation bootstrap: an asset importing by string.
      asset('assets/boot-1.js', 'await import("./a-1.js"); await import("./pending-1.js");'),
      chunk('assets/a-1.js', 'import "./b-1.js"', ['assets/b-1.js'], ['assets/lazy-1.js']),
      chunk('assets/b-1.js', 'const map = { "react-dom": () => import(`./prebuild-dom-1.js`) }'),
      chunk('assets/lazy-1.js', ''),
      chunk('assets/pending-1.js', ''),
      chunk('assets/prebuild-dom-1.js', ''),
      chunk('assets/unused-1.js', ''),
      asset('assets/style-1.css', 'a{}'),
    ]);
    const preloads = [...page.matchAll(/rel="modulepreload" crossorigin href="([^"]+)"/g)].map((m) => m[1]);
    expect(preloads.sort()).toEqual(['/assets/a-1.js', '/assets/b-1.js', '/assets/lazy-1.js', '/assets/pending-1.js', '/assets/prebuild-dom-1.js']);
    expect(page.indexOf('/assets/prebuild-dom-1.js')).toBeLessThan(page.indexOf('</head>'));
  });

  it('preloads the tree-shaken container of a shared module, not the whole module the runtime keeps as its fallback', () => {
    const page = run([
      asset('index.html', html('<script type="module" crossorigin src="/assets/boot-1.js"></script>')),
      asset('assets/boot-1.js', 'await import("./map-1.js");'),
      chunk('assets/map-1.js', 'import(`./x__prebuild__react_mf_2_router__prebuild__-Ab1.js`); import(`./x__tree_shaking__react_mf_2_router-C-d2.js`); import(`./x__prebuild__react_mf_2_dom__prebuild__-Ef3.js`)'),
      chunk('assets/x__prebuild__react_mf_2_router__prebuild__-Ab1.js', ''),
      chunk('assets/x__tree_shaking__react_mf_2_router-C-d2.js', ''),
      chunk('assets/x__prebuild__react_mf_2_dom__prebuild__-Ef3.js', ''),
    ]);
    expect(page).toContain('x__tree_shaking__react_mf_2_router-C-d2.js');
    expect(page).toContain('x__prebuild__react_mf_2_dom__prebuild__-Ef3.js');
    expect(page).not.toContain('x__prebuild__react_mf_2_router__prebuild__');
  });

  it('leaves out what `exclude` names, and a page without a script as it is', () => {
    const items = [asset('index.html', html('<script type="module" src="/assets/main-1.js"></script>')), chunk('assets/main-1.js', '', ['assets/x-1.js']), chunk('assets/x-1.js', '')];
    expect(run(items, (file) => file === 'assets/x-1.js')).toBe(html('<script type="module" src="/assets/main-1.js"></script>'));
    expect(run([asset('index.html', html('')), chunk('assets/x-1.js', '')])).toBe(html(''));
  });
});

describe('namesImportedFrom', () => {
  it('lists the names a module takes from a package: named, renamed, default, namespace, re-exported and dynamic, types left out', () => {
    const code = [
      "import { Link, useParams as params, type To } from 'react-router';",
      "import type { NavigateFunction } from 'react-router';",
      'import Router, {',
      '  Outlet,',
      '} from "react-router";',
      "import * as all from 'react-router';",
      "export { Navigate } from 'react-router';",
      "const lazy = await import('react-router');",
      "import { Form } from 'react-router-dom';",
    ].join('\n');
    expect(namesImportedFrom(code, 'react-router')).toEqual(['Link', 'useParams', 'Outlet', 'default', '*', 'Navigate', '*']);
  });

  it('does not take an earlier statement without a semicolon for part of an import', () => {
    expect(namesImportedFrom('export const a = 1\nimport { Link } from "react-router"\n', 'react-router')).toEqual(['Link']);
  });
});

describe('guardTreeShakenShared', () => {
  const shared = { react: { singleton: true }, 'react-router': { singleton: true, treeShaking: { mode: 'runtime-infer' as const, usedExports: ['Link', 'Routes'] } } };
  const transform = (code: string, id: string) => {
    const plugin = guardTreeShakenShared(shared);
    const context = { error: (message: string) => { throw new Error(message); } };
    return (plugin.transform as (this: typeof context, code: string, id: string) => void).call(context, code, id);
  };

  it("fails the build of a module importing a name the shared module's list lacks, naming the file, the names and the list", () => {
    expect(() => transform("import { Link, matchPath, useRoutes } from 'react-router';", '/app/src/nav.tsx')).toThrow(
      /\/app\/src\/nav\.tsx imports 'matchPath', 'useRoutes' from 'react-router'.*federation-shared\.ts/,
    );
    expect(() => transform("import * as router from 'react-router';", '/app/src/nav.tsx?v=1')).toThrow(/imports '\*' from 'react-router'/);
  });

  it('lets through listed names, modules shared whole, and packages under node_modules', () => {
    expect(() => transform("import { Link, Routes } from 'react-router'; import { useState } from 'react';", '/app/src/nav.tsx')).not.toThrow();
    expect(() => transform("import { matchPath } from 'react-router';", '/app/node_modules/lib/index.js')).not.toThrow();
    expect(() => transform("import * as all from 'react-router';", 'virtual:mf:x__prebuild__react_mf_2_router__prebuild__.js')).not.toThrow();
    expect(() => transform("import * as all from 'react-router';", '\0virtual:x.js')).not.toThrow();
  });
});

describe('scopedClassName', () => {
  const tile = 'src/components/product-tile.module.css';

  it("names a class <app>_<class>_<hash> by the file's place in its app, so any build of the file, from any folder, agrees", () => {
    const own = scopedClassName('mfe_catalog', '/repo/mfe-catalog/')('price', `/repo/mfe-catalog/${tile}`);
    expect(own).toMatch(/^mfe_catalog_price_[A-Za-z0-9_-]{5}$/);
    // The same app seen from elsewhere (the yardstick's build, another checkout) and with a query on the file.
    expect(scopedClassName('mfe_catalog', '/ci/checkout/mfe-catalog')('price', `/ci/checkout/mfe-catalog/${tile}?used`)).toBe(own);
  });

  it('gives another class, another file or another app another name', () => {
    const catalog = scopedClassName('mfe_catalog', '/repo/mfe-catalog');
    const names = [
      catalog('price', `/repo/mfe-catalog/${tile}`),
      catalog('name', `/repo/mfe-catalog/${tile}`),
      catalog('price', '/repo/mfe-catalog/src/components/product-page.module.css'),
      scopedClassName('mfe_cart', '/repo/mfe-cart')('price', `/repo/mfe-cart/${tile}`),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(names[3]).toMatch(/^mfe_cart_price_/);
  });
});
