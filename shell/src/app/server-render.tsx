import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import type { Session } from '@shop/contracts/api/web';
import { sessionQueryKey } from '../features/session/api/get-session.ts';
import { firstScreenPlaceholder, FirstScreensContext } from '../features/fragments/utils/first-screen.ts';
import { AppRoutes } from './app.tsx';
import { createShellQueryClient, ShellProviders } from './providers.tsx';

/** What the server knows of a page before rendering the shell around it. */
export interface ShellRenderInput {
  /** The session inlined in the page (`#session`); without it the header renders as it does while asking. */
  session?: Session;
  /** Server-rendered HTML of fragments, by fragment id (`mfe_catalog/CatalogPage`), from their own servers. */
  firstScreens?: Readonly<Record<string, string>>;
}

/**
 * The HTML of the page's `#root` at `url` (path and query): the shell's layout and routes as the
 * browser's first render produces them from the same page (which hydrates it), each fragment slot
 * holding its first screen when given (inside the slot's Suspense boundary, which the fragment's
 * module hydrates in the browser), else its loading state. The page must list the slots given a first
 * screen in its `#first-screens` block. Throws whatever rendering throws.
 */
export function renderShell(url: string, { session, firstScreens = {} }: ShellRenderInput = {}): string {
  const client = createShellQueryClient();
  if (session) client.setQueryData(sessionQueryKey, session);
  const html = renderToString(
    <ShellProviders client={client}>
      <FirstScreensContext value={{ server: true, has: (id) => Object.hasOwn(firstScreens, id) }}>
        <StaticRouter location={url}>
          <AppRoutes />
        </StaticRouter>
      </FirstScreensContext>
    </ShellProviders>,
  );
  // Each placeholder takes its fragment's HTML, verbatim (a function: no `$&` patterns).
  return Object.entries(firstScreens).reduce((page, [id, screen]) => page.replace(firstScreenPlaceholder(id), () => screen), html);
}
