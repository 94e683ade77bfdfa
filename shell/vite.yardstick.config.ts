import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress, scopedClassName } from '@shop/frontend-server/vite-plugins';

/**
 * The benchmark's yardstick (`npm run bench -w @shop/e2e`): the shell and the same fragments built as
 * one Vite app WITHOUT Module Federation, into `dist-yardstick/`. The only differences from the real
 * build are how fragments are found: the shell's fragment loader and mfe-catalog's cross-fragment
 * loader are swapped for direct imports (yardstick/load-fragment.ts). Same React, same code, same
 * precompression, and each file's CSS-module class names as its own app's build gives them (scopedClassName),
 * so the yardstick hydrates the same server-rendered first screen; served by the same server.
 */
const standIn = fileURLToPath(new URL('./yardstick/load-fragment.ts', import.meta.url));

/** Each app's class names, by the folder its file is in: the names its own build and server render use. */
const apps = (['shell', 'mfe-catalog', 'mfe-cart'] as const).map((folder) => {
  const root = fileURLToPath(new URL(`../${folder}/`, import.meta.url));
  return { root, className: scopedClassName(folder.replace('-', '_'), root) };
});
function appClassName(className: string, filename: string): string {
  const app = apps.find(({ root }) => filename.startsWith(root));
  if (!app) throw new Error(`the yardstick builds no app's CSS module ${filename}`);
  return app.className(className, filename);
}

function directFragments(): Plugin {
  return {
    name: 'shop:yardstick-direct-fragments',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      if (source.endsWith('/utils/load-fragment.ts') && importer.includes('/shell/src/')) return standIn;
      if (source.endsWith('/lib/federation.ts') && importer.includes('/mfe-catalog/src/')) return standIn;
      return null;
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [directFragments(), react(), precompress()],
  css: { modules: { generateScopedName: appClassName } },
  build: { target: 'es2022', outDir: 'dist-yardstick', emptyOutDir: true },
});
