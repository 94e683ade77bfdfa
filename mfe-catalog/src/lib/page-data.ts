/**
 * The first page's data as the shell's server inlined it: the JSON data block `#page-data`, a map from
 * an API URL (`/api/catalog?…`, as the fragment requests it) to bff-web's answer. Each entry is used
 * once, by the first request for that URL; later requests (a refetch, a live resync) go to the network.
 */
export const PAGE_DATA_BLOCK_ID = 'page-data';

let inlined: Map<string, unknown> | undefined;

function read(doc: Document | undefined): Map<string, unknown> {
  const text = doc?.getElementById(PAGE_DATA_BLOCK_ID)?.textContent;
  if (!text) return new Map();
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? new Map(Object.entries(parsed)) : new Map();
  } catch {
    return new Map(); // a broken block costs one fetch, nothing else
  }
}

/** The inlined answer for `url`, removed so it is never served twice; undefined when there is none. */
export function takePageData(url: string, doc: Document | undefined = globalThis.document): unknown {
  inlined ??= read(doc);
  if (!inlined.has(url)) return undefined;
  const body = inlined.get(url);
  inlined.delete(url);
  return body;
}

/** Forgets what was read (tests). */
export function resetPageData(): void {
  inlined = undefined;
}
