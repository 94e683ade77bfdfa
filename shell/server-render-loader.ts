import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { renderShell } from './src/app/server-render.tsx';

/**
 * The shell's server render from its build (`dist-ssr/server-render.js`, written by `npm run build`
 * beside `dist/`), or undefined when that file is not there (a build older than it): the pages then
 * go out with an empty root and render in the browser, as before. Rejects if the file is there but
 * does not load.
 */
export async function loadShellRender(bundle: URL): Promise<typeof renderShell | undefined> {
  if (!existsSync(fileURLToPath(bundle))) return undefined;
  const module = (await import(bundle.href)) as { renderShell: typeof renderShell };
  return module.renderShell;
}
