import { config } from '../../../config/app.ts';
import { parseRemotes, type RemotesFile } from '../utils/parse-remotes.ts';

/** The id of the JSON data block in which the shell's server inlines what `/remotes.json` says. */
export const REMOTES_BLOCK_ID = 'remotes-json';

let inlineUsed = false;

/** The remotes the server wrote into the page, the first time only (undefined after, or when absent or unreadable). */
function inlinedRemotes(): RemotesFile | undefined {
  if (inlineUsed || typeof document === 'undefined') return undefined;
  inlineUsed = true;
  const text = document.getElementById(REMOTES_BLOCK_ID)?.textContent;
  if (!text) return undefined;
  try {
    return parseRemotes(JSON.parse(text));
  } catch {
    return undefined; // fetch the file instead
  }
}

/**
 * The remotes: on a page's first call as the shell's server inlined them (no round trip), else
 * fetched from `/remotes.json` (a retry always fetches afresh: a fragment may have moved since).
 * Outside React: the fragment loader needs it before any slot renders. Rejects when the file
 * cannot be fetched or is not a remotes list.
 */
export async function getRemotes(signal?: AbortSignal): Promise<RemotesFile> {
  const inlined = inlinedRemotes();
  if (inlined) return inlined;
  const response = await fetch(config.remotesUrl, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new Error(`${config.remotesUrl} answered ${response.status}`);
  return parseRemotes(await response.json());
}
