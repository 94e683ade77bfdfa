import { createContext } from 'react';
import type { FragmentId } from '../../../config/fragments.ts';

/**
 * Which slots of this page hold their fragment's first screen: HTML the fragment's own server rendered
 * (server-side composition), which the fragment's module hydrates once it has loaded. On the server
 * (`server`) such a slot renders a placeholder that the page's server render replaces with that HTML.
 */
export interface FirstScreens {
  has(id: FragmentId): boolean;
  server: boolean;
}

/** The JSON data block listing the fragments (ids) whose first screen the server put in the page. */
export const FIRST_SCREENS_BLOCK_ID = 'first-screens';

/** The attribute of the element a slot renders on the server where its first screen's HTML goes. */
export const FIRST_SCREEN_ATTRIBUTE = 'data-first-screen';

/** That element as the server's render writes it, for `id`. */
export const firstScreenPlaceholder = (id: string) => `<template ${FIRST_SCREEN_ATTRIBUTE}="${id}"></template>`;

let inPage: ReadonlySet<string> | undefined;

/** In the browser: the slots the page's `#first-screens` block lists (read once; a broken block lists none). */
export const firstScreensInPage: FirstScreens = {
  server: false,
  has(id) {
    if (!inPage) {
      try {
        const listed: unknown = JSON.parse(globalThis.document?.getElementById(FIRST_SCREENS_BLOCK_ID)?.textContent ?? '[]');
        inPage = new Set(Array.isArray(listed) ? listed.filter((item): item is string => typeof item === 'string') : []);
      } catch {
        inPage = new Set();
      }
    }
    return inPage.has(id);
  },
};

/** What the slots know of first screens: the page's, in the browser; the server's render passes its own. */
export const FirstScreensContext = createContext<FirstScreens>(firstScreensInPage);
