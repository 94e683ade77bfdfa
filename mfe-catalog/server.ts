import { serveFrontend } from '@shop/frontend-server/serve';

// A remote: ready once mf-manifest.json is built, its files readable from the shell's origin.
await serveFrontend({
  name: 'mfe-catalog',
  role: 'remote',
  // POST /render: the first screen's HTML for the shell's page, from the SSR build beside dist/ (`npm run build`).
  render: { module: new URL('./dist-ssr/server-render.js', import.meta.url) },
  // Builds published by `npm run release -- mfe-catalog` are served at /releases/<version>/ next to dist/.
  defaults: { port: 3001, distDir: new URL('./dist', import.meta.url), releasesDir: new URL('../.cache/releases/mfe-catalog', import.meta.url) },
});
