import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import httpProxy from '@fastify/http-proxy';
import { registerFragmentRender } from './fragment-render.ts';
import { createSessionInliner, SESSION_BLOCK_ID, type InlinedSession } from './inline-session.ts';
import { renderPage, type PageHead } from './page-head.ts';
import { originsOfRemotes, securityHeadersPlugin } from './security-headers.ts';
import { serveMetrics } from '@shop/platform/metrics';

/**
 * What a federation role decides: the host (shell) is ready once its page is built and tells the
 * browser where the remotes are; a remote (fragment) is ready once its manifest is built and lets
 * the host's origin load its files.
 */
export type FederationRole =
  | {
      role: 'host';
      /**
       * Answered verbatim at `/remotes.json`, and inlined into every page as the JSON data block
       * `#remotes-json` (the shell reads it there first); the app checks it before it gets here.
       */
      remotes: object;
      /**
       * The remotes for this browser, when they differ per browser (fragment canaries, see
       * release-routing.ts); may set headers (its cookie) on `reply`. Without it, `remotes` for everyone.
       */
      remotesFor?: (request: FastifyRequest, reply: FastifyReply) => Promise<object>;
      /**
       * What the page at `url` should carry in its `<head>` besides the remotes (preloads, first data,
       * title, its server-rendered root), for the `remotes` this page gets and the `session` inlined in
       * it (bff-web's `/api/session` answer; undefined when it is not). Must settle within its own time
       * budget; a rejection serves the page without it.
       */
      head?: (url: URL, remotes: object, session?: unknown) => Promise<PageHead>;
      /**
       * How long (ms) a page waits for bff-web's `GET /api/session` with the browser's cookie, to inline
       * the answer as the data block `#session` and pass on the cookie bff-web sets (see
       * inline-session.ts); past it, or with bff-web down, the page goes without and the shell asks
       * itself. 0 or absent: never asked.
       */
      sessionBudgetMs?: number;
    }
  | {
      role: 'remote';
      /**
       * Released builds of the fragment, one folder per version (`<dir>/<version>/mf-manifest.json`),
       * served at `/releases/<version>/…`; read per request, so a new release needs no restart.
       */
      releasesDir?: string;
      /**
       * The fragment's server-render bundle, when it has one: answers `POST /render` with the HTML of its
       * first screen for a page of the shell, and each release's own bundle `POST /releases/<version>/render`
       * (see fragment-render.ts). Without it, both are 404s.
       */
      render?: { module: URL };
    };

export type FrontendServerOptions = FederationRole & {
  /** The app's name (`shell`, `mfe-catalog`): prefixes its error codes and its log lines. */
  name: string;
  /** The Vite build output. */
  distDir: string;
  /**
   * bff-web, which the browser reaches same-origin through /api and /socket.io: inside the shell the
   * shell proxies it, a fragment proxies it only for its standalone page.
   */
  bffWebUrl: string;
  logger?: FastifyServerOptions['logger'];
};

export const NO_CACHE = 'no-cache';
/** A page carrying one shopper's session (and CSRF token): kept by no cache, the browser's included. */
export const PER_SHOPPER = 'private, no-store';
/** Responses made per request below this size (bytes) go uncompressed: the encoding would cost more than it saves. */
export const COMPRESS_THRESHOLD_BYTES = 1024;
/** The id of the data block holding what `/remotes.json` answers. */
export const REMOTES_BLOCK_ID = 'remotes-json';
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Vite content-hashes everything under assets/. index.html, mf-manifest.json and remoteEntry.js keep
 * their names across deploys, so they must be revalidated or a new deploy would go unseen.
 */
export function cacheControlFor(pathInDist: string): string {
  return pathInDist.split(sep).join('/').startsWith('assets/') ? IMMUTABLE : NO_CACHE;
}

/** `mfe-catalog` → `MFE_CATALOG_NOT_FOUND`: one error code per app, as every workspace has. */
export const notFoundCode = (name: string) => `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NOT_FOUND`;

/** What `sendProxyError` needs of the reply (reply-from's, typed for any server). */
interface ProxyReply {
  code(statusCode: number): unknown;
  type(contentType: string): unknown;
  header(name: string, value: string): unknown;
  send(payload: unknown): unknown;
  request: { log: { warn(obj: object, msg: string): void } };
}

/** Proxy failures that say the request cannot be forwarded as sent: the client's to fix (400). */
const UNFORWARDABLE = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);
/** Failures to reach bff-web at all: it is down or restarting (503, try again). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'FST_REPLY_FROM_SERVICE_UNAVAILABLE']);
/** What a 503 for an unreachable bff-web advises in Retry-After (s). */
const RETRY_AFTER_S = 5;

/**
 * Answers a request the proxy could not forward with a JSON error instead of reply-from's 500: 400 naming
 * the header undici refused, 503 (Retry-After) when bff-web cannot be reached, 504 when it did not answer
 * in time, 502 for anything else it did wrong. `error` is reply-from's, its cause undici's or the socket's.
 */
export function sendProxyError(reply: ProxyReply, name: string, error: Error & { code?: string; statusCode?: number; cause?: unknown }) {
  const prefix = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const cause = (error.cause ?? {}) as { code?: string; message?: string };
  const codes = [cause.code, error.code];
  const send = (statusCode: number, code: string, errorName: string, message: string) => {
    reply.code(statusCode);
    reply.type('application/json; charset=utf-8');
    return reply.send({ statusCode, code: `${prefix}_${code}`, error: errorName, message });
  };
  if (codes.some((c) => c && UNFORWARDABLE.has(c))) {
    return send(400, 'UNFORWARDABLE_REQUEST', 'Bad Request', `This request cannot be passed on to the API: ${cause.message ?? error.message}`);
  }
  reply.request.log.warn({ err: error }, 'bff-web could not be reached through the proxy');
  if (codes.some((c) => c && UNREACHABLE.has(c)) || /ECONNREFUSED/.test(error.message)) {
    reply.header('retry-after', String(RETRY_AFTER_S));
    return send(503, 'API_UNAVAILABLE', 'Service Unavailable', `The API is not answering right now; try again in ${RETRY_AFTER_S} s`);
  }
  if (error.statusCode === 504) return send(504, 'API_TIMEOUT', 'Gateway Timeout', 'The API did not answer in time; try again shortly');
  return send(502, 'API_BAD_GATEWAY', 'Bad Gateway', 'The API gave an answer the proxy could not pass on; try again shortly');
}

/** Serves a Vite build of the shell or a fragment, and proxies bff-web so the page stays same-origin. */
export async function buildFrontendServer(options: FrontendServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true });
  const readyFile = join(options.distDir, options.role === 'host' ? 'index.html' : 'mf-manifest.json');
  const code = notFoundCode(options.name);

  await app.register(securityHeadersPlugin, {
    fragmentOrigins: options.role === 'host' ? originsOfRemotes(options.remotes) : [],
    remote: options.role === 'remote',
  });
  // Text is sent compressed: built files precompressed (brotli and gzip, next to them in dist/, made by
  // the build), anything made per request (the host's page, proxied JSON and SVG) compressed on the way.
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: COMPRESS_THRESHOLD_BYTES });

  app.get('/health', async () => ({ status: 'ok' }));
  if (options.role === 'remote' && options.render) {
    registerFragmentRender(app, {
      module: options.render.module,
      codePrefix: code.replace(/_NOT_FOUND$/, ''),
      name: options.name,
      releasesDir: options.releasesDir,
    });
  }
  // Prometheus text: requests by route and status with latencies, and Node's runtime metrics.
  serveMetrics(app);
  // Ready once there is a build to serve. Nothing downstream is checked: the shell's page degrades
  // slot by slot without fragments or the BFF, so taking a server out of rotation would only make it worse.
  app.get('/ready', async (_request, reply) =>
    existsSync(readyFile)
      ? { status: 'ready' }
      : reply.code(503).send({ status: 'not_ready', reason: `${readyFile} is missing: run the build first` }),
  );

  const remotesFor = options.role === 'host' ? (options.remotesFor ?? (async () => options.remotes)) : undefined;
  // Released fragments are resolved per browser, by its release cookie: a shared cache must not hand one
  // browser's canary to another.
  const varyByBrowser = (reply: FastifyReply) => (options.role === 'host' && options.remotesFor ? reply.header('vary', 'Cookie') : reply);
  if (remotesFor) {
    // Read at start-up, not baked into the build: repointing a fragment is a restart, not a rebuild
    // (or, for released fragments, a new release manifest: see release-routing.ts).
    app.get('/remotes.json', async (request, reply) => {
      const remotes = await remotesFor(request, reply);
      return varyByBrowser(reply).header('cache-control', NO_CACHE).type('application/json; charset=utf-8').send(JSON.stringify(remotes));
    });
  }

  // bff-web limits sign-in attempts per shopper's address and marks cookies Secure behind TLS:
  // it needs to know who asked and how, not just that this server did.
  await app.register(httpProxy, {
    upstream: options.bffWebUrl,
    prefix: '/api',
    rewritePrefix: '/api',
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => {
        // Node's server has already answered `Expect: 100-continue` (curl sends it for bodies over 1 MB);
        // undici refuses to forward it, so it stops here and bff-web gets the body as usual.
        const { expect: _handled, ...forwarded } = headers;
        return {
          ...forwarded,
          'x-forwarded-for': [headers['x-forwarded-for'], request.ip].filter(Boolean).join(', '),
          'x-forwarded-proto': request.protocol,
        };
      },
      onError: (reply, { error }) => void sendProxyError(reply, options.name, error),
    },
  });
  await app.register(httpProxy, {
    upstream: options.bffWebUrl,
    prefix: '/socket.io',
    rewritePrefix: '/socket.io',
    websocket: true,
    // bff-web's hub checks the page's Origin and caps sockets per shopper's address: pass both on (the
    // default forwards the cookie only).
    // `rewriteRequestHeaders` is honoured by @fastify/http-proxy (its default forwards the cookie) but missing from its types.
    wsClientOptions: {
      rewriteRequestHeaders: (headers: Record<string, string>, request: FastifyRequest) => ({
        ...headers,
        ...(request.headers.cookie ? { cookie: request.headers.cookie } : {}),
        ...(request.headers.origin ? { origin: request.headers.origin } : {}),
        'x-forwarded-for': [request.headers['x-forwarded-for'], request.ip].filter(Boolean).join(', '),
        'x-forwarded-proto': request.protocol,
      }),
    } as {},
  });

  const cors = options.role === 'remote';
  const host = options.role === 'host' ? options : undefined;
  const setHeaders = (root: string, pathInRoot: (path: string) => string) => (res: { setHeader(name: string, value: string): unknown }, filePath: string) => {
    res.setHeader('cache-control', cacheControlFor(pathInRoot(relative(root, filePath))));
    // Which file was sent depends on Accept-Encoding: caches must not hand a brotli body to a
    // client that did not ask for it (or the plain one to every client).
    res.setHeader('vary', 'accept-encoding');
    // The shell (another origin) loads a fragment's files as module scripts and stylesheets, which
    // need CORS. They are public, credential-free files, so any origin may read them.
    if (cors) res.setHeader('access-control-allow-origin', '*');
  };
  if (options.role === 'remote' && options.releasesDir) {
    const releasesDir = options.releasesDir;
    // The folder may be made by the first release after the server started: it must exist to be served.
    mkdirSync(releasesDir, { recursive: true });
    await app.register(fastifyStatic, {
      root: releasesDir,
      prefix: '/releases/',
      decorateReply: false,
      cacheControl: false,
      preCompressed: true,
      index: false,
      // A release being built sits in `.staging-<version>` until it is complete.
      dotfiles: 'ignore',
      // `<version>/assets/…` is hashed and immutable; a release's manifest and entry are revalidated like any.
      setHeaders: setHeaders(releasesDir, (path) => path.split(sep).slice(1).join(sep)),
    });
  }
  await app.register(fastifyStatic, {
    root: options.distDir,
    cacheControl: false,
    preCompressed: true,
    // The host's page is written per request (see below), never sent as the bare built file.
    index: host ? false : undefined,
    setHeaders: setHeaders(options.distDir, (path) => path),
  });

  // Client routes (/products/KIT-0001, /cart) get the page, the shell's or a fragment's standalone
  // one; a missing file stays a 404 rather than HTML the browser would try to run as a script.
  const indexFile = join(options.distDir, 'index.html');
  const sessionOf = createSessionInliner({ bffWebUrl: options.bffWebUrl, budgetMs: host?.sessionBudgetMs ?? 0 });
  const hostPage = async (url: URL, remotes: object, session: InlinedSession | undefined): Promise<string> => {
    if (!host) throw new Error('only a host writes its page');
    const [html, head] = await Promise.all([
      readFile(indexFile, 'utf8'),
      (host.head?.(url, remotes, session?.session) ?? Promise.resolve<PageHead>({})).catch((error: unknown): PageHead => {
        app.log.warn({ err: error, url: url.pathname }, 'page head failed: serving the page without it');
        return {};
      }),
    ]);
    const sessionData = session ? { [SESSION_BLOCK_ID]: session.session } : {};
    return renderPage(html, { ...head, data: { [REMOTES_BLOCK_ID]: remotes, ...sessionData, ...head.data } });
  };

  const sendPage = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', NO_CACHE);
    if (!host || !remotesFor) return reply.sendFile('index.html');
    if (!existsSync(indexFile)) return reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet.');
    // The session is asked for alongside the remotes and the head, each under its own budget.
    const [remotes, session] = await Promise.all([remotesFor(request, reply), sessionOf(request)]);
    const page = await hostPage(new URL(request.url, 'http://page.invalid'), remotes, session);
    if (host.sessionBudgetMs) {
      // The page may carry this browser's session: a cache must key it by the cookie, and one that
      // does carry it (a CSRF token, who is signed in) is for this browser alone and kept by nobody.
      reply.header('vary', 'Cookie');
      if (session) {
        reply.header('cache-control', PER_SHOPPER);
        for (const cookie of session.setCookies) reply.header('set-cookie', cookie);
      }
    }
    return varyByBrowser(reply).type('text/html; charset=utf-8').send(page);
  };
  // Routes of their own: more specific than the static files' wildcard.
  if (host) for (const url of ['/', '/index.html']) app.get(url, sendPage);

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && extname(path) === '') return sendPage(request, reply);
    return reply.code(404).send({
      statusCode: 404,
      code,
      error: 'Not Found',
      message: `Nothing is served at ${request.method} ${path}`,
    });
  });

  return app;
}
