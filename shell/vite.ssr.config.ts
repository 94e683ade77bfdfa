import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serverRenderConfig } from '@shop/frontend-server/vite-plugins';
import clientConfig from './vite.config.ts';

/**
 * The server-render build: `src/app/server-render.tsx` as one Node ES module, `dist-ssr/server-render.js`,
 * which the shell's server imports to render each page's layout (see page-head.ts), hydrated by the
 * browser's build. Fragments send their own HTML (`POST <remote>/render`).
 * Built first by `npm run build`, from the same sources and CSS-module names as the client's build.
 */
export default defineConfig(serverRenderConfig({ entry: 'src/app/server-render.tsx', css: clientConfig.css, plugins: [react()] }));
