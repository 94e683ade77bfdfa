import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const BUILD_INPUTS = ['src', 'index.html', 'vite.config.ts', 'module-federation.config.ts', 'package.json'];

/**
 * A front-end app needs a build when it has none in `distDir` (default: its own `dist/`), or when a
 * source file changed after the last one.
 */
export function needsBuild(appDir: string, distDir = path.join(appDir, 'dist')): boolean {
  const marker = path.join(distDir, 'mf-manifest.json');
  if (!existsSync(marker)) return true;
  const builtAt = statSync(marker).mtimeMs;
  return BUILD_INPUTS.some((input) => newestChange(path.join(appDir, input)) > builtAt);
}

function newestChange(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestChange(path.join(file, entry))));
}
