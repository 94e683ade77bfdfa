import { createContext } from 'react';
import type { FragmentId } from '../../../config/fragments.ts';

/**
 * The HTML a fragment's own server rendered for a slot of this page (server-side composition), by
 * fragment id; undefined for a slot without. The shell's server puts each one in the page inside an
 * element `data-first-screen="<id>"`, where it stays on screen until the fragment's module has loaded
 * and renders the same markup in its place.
 */
export type FirstScreens = (id: FragmentId) => string | undefined;

/** The attribute naming the fragment whose server-rendered HTML an element holds. */
export const FIRST_SCREEN_ATTRIBUTE = 'data-first-screen';

/** In the browser: the HTML the server put in the page (read once per slot, before it is replaced). */
export const firstScreensInPage: FirstScreens = (id) => {
  const element = globalThis.document?.querySelector(`[${FIRST_SCREEN_ATTRIBUTE}="${id}"]`);
  return element ? element.innerHTML : undefined;
};

/** What the slots show first: the page's server-rendered HTML in the browser; the server's render passes its own. */
export const FirstScreensContext = createContext<FirstScreens>(firstScreensInPage);
