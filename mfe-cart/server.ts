import { serveFrontend } from '@shop/frontend-server/serve';

// A remote: ready once mf-manifest.json is built, its files readable from the shell's origin.
await serveFrontend({
  name: 'mfe-cart',
  role: 'remote',
  defaults: { port: 3002, distDir: new URL('./dist', import.meta.url) },
});
