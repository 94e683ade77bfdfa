const BASE = 'http://shop.invalid';

/**
 * A plain path on this site: one leading `/` not followed by another `/` or `\` (which a browser reads as
 * `//host`), and the same once percent-decoded (a router may decode `%2F` and `%5C` before navigating).
 */
function isPlainPath(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false; // malformed percent-encoding: not a path we produced
  }
  return /^\/(?![/\\])/.test(decoded);
}

/**
 * Where to go after signing in, from `?next=`: a path on this site (`/checkout?step=2#top`), or undefined
 * for anything else, so the account page cannot send a shopper elsewhere (`//evil.example`, `/.//evil.example`,
 * `/%2F/evil.example`, `https://…`, `javascript:`). The input is normalised with the WHATWG URL parser, and
 * what is returned is checked after that normalisation: `/.//x` normalises to `//x`, a host.
 * Control characters and spaces (which URL parsers strip or treat as separators) make it undefined too.
 */
export function safeNextPath(next: string | null | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (!next || /[\u0000-\u0020\u007f\\]/.test(next) || !isPlainPath(next)) return undefined;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isPlainPath(path) ? path : undefined;
}
