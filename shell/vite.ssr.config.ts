import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import clientConfig from './vite.config.ts';

/**
 * The server-render build: `src/app/server-render.tsx` as one Node ES module, `dist-ssr/server-render.js`,
 * which the shell's server imports to render each page's layout (see page-head.ts), hydrated by the
 * browser's build. No federation here: fragments send their own HTML (`POST <remote>/render`). Built
 * with the client's build (`npm run build`) so both come from the same sources.
 */
export default defineConfig({
  plugins: [react()],
  // The client's exact CSS-module naming: the server's HTML must carry the class names of the client's CSS.
  css: { modules: clientConfig.css?.modules },
  // The workspaces export TypeScript sources, which Node cannot load: bundled. npm packages stay external.
  ssr: { noExternal: [/^@shop\//] },
  build: {
    ssr: 'src/app/server-render.tsx',
    // Its own folder, whatever `--outDir` the client's build is given.
    outDir: 'dist-ssr',
    emptyOutDir: true,
    target: 'node20',
  },
});
