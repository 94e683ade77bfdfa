import type { Plugin } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of the build (JS, CSS, HTML, JSON, SVG),
 * at the highest settings since it happens once per build: the server sends them as they are
 * (`@fastify/static` `preCompressed`), with `Content-Encoding` and `Vary: Accept-Encoding`.
 * Kept even where one comes out larger (a few tiny chunks): every text response is then encoded,
 * which is what the e2e test and Lighthouse check, at a cost of a few bytes.
 */
export function precompress(): Plugin {
  return compression({
    include: /\.(js|mjs|css|html|json|svg|txt)$/,
    threshold: 0,
    skipIfLargerOrEqual: false,
    algorithms: [defineAlgorithm('brotliCompress', {}), defineAlgorithm('gzip', { level: 9 })],
    logLevel: 'silent',
  });
}

interface ManifestExpose {
  name: string;
  path: string;
  assets: { js: { sync: string[]; async: string[] }; css: { sync: string[]; async: string[] } };
}

/**
 * Lists each exposed module's own entry chunk among its `assets.js.sync` in `mf-manifest.json`.
 * `@module-federation/vite` lists the chunks an expose imports but not the small chunk the remote
 * entry imports first, so a host preloading from the manifest would still find that one a round
 * trip late. `exposes` is the federation config's (`'./CatalogPage': './src/app/expose/catalog-page.tsx'`).
 */
export function exposeEntriesInManifest(exposes: Record<string, string>): Plugin {
  return {
    name: 'shop:expose-entries-in-manifest',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const manifest = bundle['mf-manifest.json'];
      if (!manifest || manifest.type !== 'asset') return;
      const parsed = JSON.parse(String(manifest.source)) as { exposes?: ManifestExpose[] };
      for (const expose of parsed.exposes ?? []) {
        const source = exposes[expose.path];
        if (!source) continue;
        const suffix = source.replace(/^\.\//, '/');
        const entry = Object.values(bundle).find(
          (chunk) => chunk.type === 'chunk' && chunk.facadeModuleId?.split('?')[0]?.endsWith(suffix),
        );
        if (entry && !expose.assets.js.sync.includes(entry.fileName)) expose.assets.js.sync.unshift(entry.fileName);
      }
      manifest.source = JSON.stringify(parsed);
    },
  };
}

/**
 * Adds a `<link rel="modulepreload" crossorigin>` to `index.html` for every JavaScript chunk its entry
 * script reaches through static and dynamic imports that the page does not preload yet, so the browser
 * fetches them all while it parses the page instead of finding each one a round trip after the chunk
 * that imports it; a chunk whose file name another reached chunk's code spells out (an import by
 * string, as the federation runtime does) counts as imported. For an app whose dynamic imports all run on its first screen (the shell: its
 * bootstrap, the shared-module loaders, the shared modules it provides as a federation host);
 * an app with lazy routes would fetch those early too. `exclude` names chunk files to leave alone.
 */
export function preloadEveryImport(exclude: (fileName: string) => boolean = () => false): Plugin {
  let base = '/';
  return {
    name: 'shop:preload-every-import',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') return;
      let html = String(page.source);
      // Chunks, and scripts emitted as assets (the federation plugin's bootstrap, which the page loads).
      const scripts = new Map(
        Object.values(bundle).flatMap((item) =>
          item.type === 'chunk'
            ? [[item.fileName, { code: item.code, imports: [...item.imports, ...item.dynamicImports] }] as const]
            : item.fileName.endsWith('.js')
              ? [[item.fileName, { code: String(item.source), imports: [] as string[] }] as const]
              : [],
        ),
      );
      const href = (fileName: string) => `${base}${fileName}`;
      const queue = [...scripts.keys()].filter((file) => html.includes(`"${href(file)}"`));
      const reached = new Set<string>();
      while (queue.length > 0) {
        const file = queue.pop()!;
        const script = scripts.get(file);
        if (!script || reached.has(file)) continue;
        reached.add(file);
        queue.push(...script.imports);
        // The federation plugin's bootstrap and shared-module map import by string (`import("./x-Hash.js")`),
        // which the bundler does not list: a script whose hashed name the code spells out is reached too.
        for (const other of scripts.keys()) if (!reached.has(other) && script.code.includes(other.slice(other.lastIndexOf('/') + 1))) queue.push(other);
      }
      const tags = [...reached]
        .filter((file) => !exclude(file) && !html.includes(`"${href(file)}"`))
        .sort()
        .map((file) => `<link rel="modulepreload" crossorigin href="${href(file)}">`);
      if (tags.length === 0) return;
      html = html.includes('</head>') ? html.replace('</head>', `${tags.join('')}</head>`) : `${tags.join('')}${html}`;
      page.source = html;
    },
  };
}
