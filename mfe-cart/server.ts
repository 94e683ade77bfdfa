import { serveFrontend } from '@shop/frontend-server/serve';

// A remote: ready once mf-manifest.json is built, its files readable from the shell's origin.
await serveFrontend({
  name: 'mfe-cart',
  role: 'remote',
  // Builds published by `npm run release -- mfe-cart` are served at /releases/<version>/ next to dist/.
  defaults: { port: 3002, distDir: new URL('./dist', import.meta.url), releasesDir: new URL('../.cache/releases/mfe-cart', import.meta.url) },
});
