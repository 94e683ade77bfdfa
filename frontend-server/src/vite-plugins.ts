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
