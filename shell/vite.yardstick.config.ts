import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from '@shop/frontend-server/vite-plugins';

/**
 * The benchmark's yardstick (`npm run bench -w @shop/e2e`): the shell and the same fragments built as
 * one Vite app WITHOUT Module Federation, into `dist-yardstick/`. The only differences from the real
 * build are how fragments are found: the shell's fragment loader and mfe-catalog's cross-fragment
 * loader are swapped for direct imports (yardstick/load-fragment.ts). Same React, same code, same
 * precompression, served by the same server.
 */
const standIn = fileURLToPath(new URL('./yardstick/load-fragment.ts', import.meta.url));

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
  css: { modules: { generateScopedName: 'y_[local]_[hash:base64:5]' } },
  build: { target: 'es2022', outDir: 'dist-yardstick', emptyOutDir: true },
});
