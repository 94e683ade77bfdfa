import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { federation } from '@module-federation/vite';
import { guardTreeShakenShared, exposeEntriesInManifest, precompress, provideFederationRuntime, clientBuild, scopedClassName } from '@shop/frontend-server/vite-plugins';
import federationConfig from './module-federation.config.ts';

const port = Number(process.env.PORT ?? 3001);
// Where this fragment is served from. Assets are addressed absolutely so they load from here
// even when the page belongs to the shell's origin. The shell reads the same variable.
const publicUrl = (process.env.MFE_CATALOG_URL ?? `http://localhost:${port}`).replace(/\/?$/, '/');
const bffWebUrl = process.env.BFF_WEB_URL ?? 'http://localhost:4000';

export default defineConfig({
  base: publicUrl,
  plugins: [guardTreeShakenShared(), react(), federation(federationConfig), provideFederationRuntime(), exposeEntriesInManifest(federationConfig.exposes ?? {}), precompress()],
  server: {
    port,
    strictPort: true,
    origin: publicUrl.replace(/\/$/, ''),
    cors: true,
    proxy: {
      '/api': bffWebUrl,
      '/socket.io': { target: bffWebUrl, ws: true },
    },
  },
  // CSS modules: the app's name in every class, so no two fragments' classes collide (see scopedClassName).
  css: { modules: { generateScopedName: scopedClassName('mfe_catalog', fileURLToPath(new URL('.', import.meta.url))) } },
  build: clientBuild(),
});
