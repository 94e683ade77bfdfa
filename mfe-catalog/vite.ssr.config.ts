import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import clientConfig from './vite.config.ts';

/**
 * The server-render build: `src/app/server-render.tsx` as one Node ES module, `dist-ssr/server-render.js`,
 * which the fragment's server imports to answer `POST /render` (see frontend-server/src/fragment-render.ts).
 * No federation here: the server renders this fragment's own components, and leaves other fragments'
 * slots empty. Built with the client's build (`npm run build`) so both come from the same sources.
 */
export default defineConfig({
  plugins: [react()],
  // The client's exact CSS-module naming: the server's HTML must carry the class names of the client's CSS.
  css: { modules: clientConfig.css?.modules },
  // The workspaces export TypeScript sources, which Node cannot load: bundled. npm packages stay external
  // (react, react-dom, react-router, react-query: loaded from node_modules, as the server's other code).
  ssr: { noExternal: [/^@shop\//] },
  build: {
    ssr: 'src/app/server-render.tsx',
    // Its own folder, whatever `--outDir` the client's build is given (chaos, releases build elsewhere).
    outDir: 'dist-ssr',
    emptyOutDir: true,
    target: 'node20',
  },
});
