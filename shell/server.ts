import { serveFrontend } from '@shop/frontend-server/serve';
import { createPageHead } from './page-head.ts';
import { createReleases, releasesConfigFromEnv } from './releases.ts';
import { pageHeadConfigFromEnv, remotesFromEnv } from './remotes-config.ts';
import type { RemotesFile } from './src/features/fragments/utils/parse-remotes.ts';
import { loadShellRender } from './server-render-loader.ts';

// The host: ready once index.html is built, answers /remotes.json (REMOTES_JSON or MFE_CATALOG_URL /
// MFE_CART_URL) so fragments are found at run time, and writes into each page what its first paint
// needs (remotes, preloads, first data, the server-rendered page: see page-head.ts).
const renderRoot = await loadShellRender(new URL('./dist-ssr/server-render.js', import.meta.url));
await serveFrontend({
  name: 'shell',
  role: 'host',
  remotesFromEnv,
  headFromEnv: (env, config, remotes) =>
    createPageHead({
      ...pageHeadConfigFromEnv(env),
      remotes: remotes as RemotesFile,
      bffWebUrl: config.bffWebUrl,
      renderRoot,
      onRenderError: (error) => console.warn('shell: the server render failed; the page renders in the browser', error),
    }),
  // A release manifest (`npm run release`), when there is one, picks each browser's fragment builds.
  releasesFromEnv: (env, config, remotes) =>
    createReleases({
      ...releasesConfigFromEnv(env, new URL('../.cache/releases/manifest.json', import.meta.url)),
      remotes: remotes as RemotesFile,
      bffWebUrl: config.bffWebUrl,
    }),
  defaults: { port: 3000, distDir: new URL('./dist', import.meta.url) },
});
