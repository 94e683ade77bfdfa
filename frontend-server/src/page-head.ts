/**
 * What a host's server writes into its page's `<head>` before the first byte leaves: everything the
 * browser would otherwise discover one request at a time (the remotes, their entries and chunks, the
 * first page's data, the LCP image). Data goes in as JSON data blocks, never as a script to run, so a
 * Content-Security-Policy without inline scripts still holds.
 */
export interface PageHead {
  /** The page's `<title>`; the built one stays when absent. */
  title?: string;
  /** `<meta name="description">`. */
  description?: string;
  /** `<script type="application/json" id="<key>">`: each value serialised as JSON. */
  data?: Record<string, unknown>;
  /**
   * Stylesheets the page's fragments insert later: `<link rel="preload" as="style">`, not a stylesheet,
   * so a fragment server that hangs cannot hold the page's first paint.
   */
  stylesheets?: readonly string[];
  /** ES modules the page imports later (remote entries, their chunks): `<link rel="modulepreload">`. */
  modules?: readonly string[];
  /** JSON the page fetches later with a plain `fetch()` (a remote's manifest): `<link rel="preload" as="fetch">`. */
  fetches?: readonly string[];
  /**
   * Origins the page will fetch from before anything tells it so (the fragments' servers):
   * `<link rel="preconnect" crossorigin>`, first, so their connections open while the page still loads.
   */
  preconnects?: readonly string[];
  /** The image most likely to be the largest paint: `<link rel="preload" as="image" fetchpriority="high">`. */
  lcpImage?: string;
  /**
   * Stylesheets the server-rendered `root` needs before it is painted (a fragment's, whose server sent
   * HTML in time, so it answers): `<link rel="stylesheet">`, render-blocking.
   */
  blockingStylesheets?: readonly string[];
  /** Server-rendered HTML of the page's `<div id="root">`, which the page's script hydrates. */
  root?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value with HTML's five special characters escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` are written as
 * `\u003c`-style escapes (so no `</script>` or `<!--` can end or bend the block), as are U+2028/U+2029.
 * `JSON.parse` of the block's text gives back `value`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The tags a PageHead stands for, in two parts: `first`, what the first paint waits on (connections to
 * open, render-blocking stylesheets, the LCP image), and `rest`, in the order the browser should meet them.
 */
export function headTags(head: PageHead): { first: string; rest: string } {
  const first: string[] = [];
  const rest: string[] = [];
  // `crossorigin`: the modules and manifests fetched from there are CORS requests, which use a connection of their own.
  for (const origin of head.preconnects ?? []) first.push(`<link rel="preconnect" href="${escapeHtml(origin)}" crossorigin>`);
  for (const href of head.blockingStylesheets ?? []) first.push(`<link rel="stylesheet" href="${escapeHtml(href)}" crossorigin>`);
  if (head.lcpImage) first.push(`<link rel="preload" as="image" href="${escapeHtml(head.lcpImage)}" fetchpriority="high">`);
  if (head.description !== undefined) rest.push(`<meta name="description" content="${escapeHtml(head.description)}">`);
  // `crossorigin` (anonymous, credentials same-origin) is how the federation runtime's fetch() and
  // import() ask for these: a preload made any other way would not be reused and be fetched twice.
  for (const href of head.fetches ?? []) rest.push(`<link rel="preload" as="fetch" href="${escapeHtml(href)}" crossorigin>`);
  for (const href of head.stylesheets ?? []) rest.push(`<link rel="preload" as="style" href="${escapeHtml(href)}" crossorigin>`);
  for (const href of head.modules ?? []) rest.push(`<link rel="modulepreload"${head.root ? ' fetchpriority="low"' : ''} href="${escapeHtml(href)}" crossorigin>`);
  for (const [id, value] of Object.entries(head.data ?? {})) {
    rest.push(`<script type="application/json" id="${escapeHtml(id)}">${jsonForScript(value)}</script>`);
  }
  return { first: first.join('\n    '), rest: rest.join('\n    ') };
}

/**
 * The built `index.html` with `head` written in: the title replaced; what the first paint waits on
 * (preconnects, blocking stylesheets, the LCP image) before the page's first script or link, so a
 * browser limited to six connections per server (HTTP/1.1) asks for them before the dozens of
 * scripts; the other tags at the end of `<head>`, after the page's own script and preloads, all
 * still in the first bytes the browser parses. Module scripts run after the whole document is
 * parsed, so the data blocks are there when they look. A page without `</head>` gets them before its
 * `<body>`, or first. `head.root` goes inside an empty `<div id="root"></div>` (trusted HTML:
 * React's server render), when the page has one; the page's scripts and module preloads then load
 * at low priority (`fetchpriority="low"`), after the stylesheets and the image it paints with.
 */
export function renderPage(html: string, head: PageHead): string {
  let page = html;
  if (head.title !== undefined) page = page.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(head.title)}</title>`);
  if (head.description !== undefined) page = page.replace(/\s*<meta name="description"[^>]*>/, '');
  if (head.root) page = page.replace('<div id="root"></div>', () => `<div id="root">${head.root}</div>`);
  const { first, rest } = headTags(head);
  // A page whose root the server rendered paints without its scripts: they load after what it paints
  // with (which is also how Lighthouse's simulation tells the two apart).
  if (head.root) page = page.replace(/<(link rel="modulepreload"|script type="module")/g, '<$1 fetchpriority="low"');
  let end = page.indexOf('</head>');
  if (end < 0) end = Math.max(0, page.indexOf('<body'));
  if (rest) page = `${page.slice(0, end)}  ${rest}\n  ${page.slice(end)}`;
  if (first) {
    const scriptOrLink = page.slice(0, end).search(/<(script|link)\b/);
    const at = scriptOrLink < 0 ? end : scriptOrLink;
    page = `${page.slice(0, at)}${first}\n    ${page.slice(at)}`;
  }
  return page;
}
