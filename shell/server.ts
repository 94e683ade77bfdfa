import { serveFrontend } from '@shop/frontend-server/serve';
import { remotesFromEnv } from './remotes-config.ts';

// The host: ready once index.html is built, answers /remotes.json (REMOTES_JSON or MFE_CATALOG_URL /
// MFE_CART_URL) so fragments are found at run time.
await serveFrontend({
  name: 'shell',
  role: 'host',
  remotesFromEnv,
  defaults: { port: 3000, distDir: new URL('./dist', import.meta.url) },
});
