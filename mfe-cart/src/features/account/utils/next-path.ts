/**
 * Where to go after signing in, from `?next=`: only a path on this site, so the account page
 * cannot be used to send a shopper elsewhere (`//evil.example`, `https://…`, `javascript:`).
 */
export function safeNextPath(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  const base = 'http://shop.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
