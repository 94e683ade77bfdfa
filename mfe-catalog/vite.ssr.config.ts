import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serverRenderConfig } from '@shop/frontend-server/vite-plugins';
import clientConfig from './vite.config.ts';

/**
 * The server-render build: `src/app/server-render.tsx` as one Node ES module, `dist-ssr/server-render.js`,
 * which the fragment's server imports to answer `POST /render` (see frontend-server/src/fragment-render.ts).
 * Other fragments' slots are left empty.
 * Built first by `npm run build`, from the same sources and CSS-module names as the client's build.
 */
export default defineConfig(serverRenderConfig({ entry: 'src/app/server-render.tsx', css: clientConfig.css, plugins: [react()] }));
