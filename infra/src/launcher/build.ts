import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_INPUTS = ['src', 'index.html', 'vite.config.ts', 'vite.ssr.config.ts', 'module-federation.config.ts', 'package.json'];
/** An app with this config also builds a server-render bundle (mfe-catalog, for `POST /render`), always into its own `dist-ssr/`. */
const SSR_CONFIG = 'vite.ssr.config.ts';
const SSR_MARKER = path.join('dist-ssr', 'server-render.js');
/**
 * What every front end's build takes from other workspaces (the page's one live socket, the build's
 * plugins: precompression, manifest): a change there rebuilds them all.
 */
const SHARED_INPUTS = [
  fileURLToPath(new URL('../../../live-client/src', import.meta.url)),
  fileURLToPath(new URL('../../../frontend-server/src/vite-plugins.ts', import.meta.url)),
];

/**
 * A front-end app needs a build when it has none in `distDir` (default: its own `dist/`), or no
 * server-render bundle when it makes one (a build from before it did), or when a source file of its own
 * or of a workspace it bundles (live-client) changed after the last one.
 */
export function needsBuild(appDir: string, distDir = path.join(appDir, 'dist')): boolean {
  const marker = path.join(distDir, 'mf-manifest.json');
  if (!existsSync(marker)) return true;
  if (existsSync(path.join(appDir, SSR_CONFIG)) && !existsSync(path.join(appDir, SSR_MARKER))) return true;
  const builtAt = statSync(marker).mtimeMs;
  const inputs = [...BUILD_INPUTS.map((input) => path.join(appDir, input)), ...SHARED_INPUTS];
  return inputs.some((input) => newestChange(input) > builtAt);
}

function newestChange(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestChange(path.join(file, entry))));
}
