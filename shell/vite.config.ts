import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { federation } from '@module-federation/vite';
import federationConfig from './module-federation.config.ts';
import { remotesFromEnv } from './remotes-config.ts';

const port = Number(process.env.PORT ?? 3000);
const bffWebUrl = process.env.BFF_WEB_URL ?? 'http://localhost:4000';

/** `vite` and `vite preview` answer /remotes.json the way the production server does. */
function remotesJson(): Plugin {
  const body = JSON.stringify(remotesFromEnv(process.env));
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    if (req.url?.split('?')[0] !== '/remotes.json') return next();
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
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
  plugins: [react(), federation(federationConfig), remotesJson()],
  server: {
    port,
    strictPort: true,
    proxy: {
      '/api': bffWebUrl,
      '/socket.io': { target: bffWebUrl, ws: true },
    },
  },
  preview: { port, strictPort: true },
  build: { target: 'es2022' },
});
