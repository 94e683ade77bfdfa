import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { federation } from '@module-federation/vite';
import { guardTreeShakenShared, precompress, preloadEveryImport, clientBuild, scopedClassName } from '@shop/frontend-server/vite-plugins';
import federationConfig from './module-federation.config.ts';
import { remotesFromEnv } from './remotes-config.ts';

const port = Number(process.env.PORT ?? 3000);
const bffWebUrl = process.env.BFF_WEB_URL ?? 'http://localhost:4000';

/** `vite` and `vite preview` answer /remotes.json the way the production server does. */
function remotesJson(): Plugin {
  // Read lazily: a build does not serve it, so a bad REMOTES_JSON must not fail the build.
  let body: string | undefined;
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    if (req.url?.split('?')[0] !== '/remotes.json') return next();
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    body ??= JSON.stringify(remotesFromEnv(process.env));
    res.end(body);
  };
  return {
    name: 'shop:remotes-json',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}

export default defineConfig({
  base: '/',
  // Every chunk the shell's bootstrap imports, dynamically too (the shared modules it provides), is
  // preloaded by the page itself: none waits for the chunk before it (the "fast on a phone" chain).
  plugins: [guardTreeShakenShared(), react(), federation(federationConfig), remotesJson(), preloadEveryImport(), precompress()],
  server: {
    port,
    strictPort: true,
    proxy: {
      '/api': bffWebUrl,
      '/socket.io': { target: bffWebUrl, ws: true },
    },
  },
  preview: { port, strictPort: true },
  // CSS modules: the app's name in every class, so no two fragments' classes collide (see scopedClassName).
  css: { modules: { generateScopedName: scopedClassName('shell', fileURLToPath(new URL('.', import.meta.url))) } },
  build: clientBuild(),
});
