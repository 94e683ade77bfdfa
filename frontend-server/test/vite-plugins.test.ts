import { describe, expect, it } from 'vitest';
import { preloadEveryImport } from '../src/vite-plugins.ts';

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

  it('leaves out what `exclude` names, and a page without a script as it is', () => {
    const items = [asset('index.html', html('<script type="module" src="/assets/main-1.js"></script>')), chunk('assets/main-1.js', '', ['assets/x-1.js']), chunk('assets/x-1.js', '')];
    expect(run(items, (file) => file === 'assets/x-1.js')).toBe(html('<script type="module" src="/assets/main-1.js"></script>'));
    expect(run([asset('index.html', html('')), chunk('assets/x-1.js', '')])).toBe(html(''));
  });
});
