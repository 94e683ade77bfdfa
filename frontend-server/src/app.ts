import { existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import httpProxy from '@fastify/http-proxy';
import { serveMetrics } from '@shop/platform/metrics';

/**
 * What a federation role decides: the host (shell) is ready once its page is built and tells the
 * browser where the remotes are; a remote (fragment) is ready once its manifest is built and lets
 * the host's origin load its files.
 */
export type FederationRole =
  | {
      role: 'host';
      /** Answered verbatim at `/remotes.json`; the app checks it before it gets here. */
      remotes: object;
    }
  | { role: 'remote' };

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

/** Serves a Vite build of the shell or a fragment, and proxies bff-web so the page stays same-origin. */
export async function buildFrontendServer(options: FrontendServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true });
  const readyFile = join(options.distDir, options.role === 'host' ? 'index.html' : 'mf-manifest.json');
  const code = notFoundCode(options.name);

  app.get('/health', async () => ({ status: 'ok' }));
  // Prometheus text: requests by route and status with latencies, and Node's runtime metrics.
  serveMetrics(app);
  // Ready once there is a build to serve. Nothing downstream is checked: the shell's page degrades
  // slot by slot without fragments or the BFF, so taking a server out of rotation would only make it worse.
  app.get('/ready', async (_request, reply) =>
    existsSync(readyFile)
      ? { status: 'ready' }
      : reply.code(503).send({ status: 'not_ready', reason: `${readyFile} is missing: run the build first` }),
  );

  if (options.role === 'host') {
    const remotesBody = JSON.stringify(options.remotes);
    // Read at start-up, not baked into the build: repointing a fragment is a restart, not a rebuild.
    app.get('/remotes.json', async (_request, reply) =>
      reply.header('cache-control', NO_CACHE).type('application/json; charset=utf-8').send(remotesBody),
    );
  }

  // bff-web limits sign-in attempts per shopper's address and marks cookies Secure behind TLS:
  // it needs to know who asked and how, not just that this server did.
  await app.register(httpProxy, {
    upstream: options.bffWebUrl,
    prefix: '/api',
    rewritePrefix: '/api',
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => ({
        ...headers,
        'x-forwarded-for': [headers['x-forwarded-for'], request.ip].filter(Boolean).join(', '),
        'x-forwarded-proto': request.protocol,
      }),
    },
  });
  await app.register(httpProxy, {
    upstream: options.bffWebUrl,
    prefix: '/socket.io',
    rewritePrefix: '/socket.io',
    websocket: true,
  });

  const cors = options.role === 'remote';
  await app.register(fastifyStatic, {
    root: options.distDir,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.setHeader('cache-control', cacheControlFor(relative(options.distDir, filePath)));
      // The shell (another origin) loads a fragment's files as module scripts and stylesheets, which
      // need CORS. They are public, credential-free files, so any origin may read them.
      if (cors) res.setHeader('access-control-allow-origin', '*');
    },
  });

  // Client routes (/products/KIT-0001, /cart) get the page, the shell's or a fragment's standalone
  // one; a missing file stays a 404 rather than HTML the browser would try to run as a script.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && extname(path) === '') {
      return reply.header('cache-control', NO_CACHE).sendFile('index.html');
    }
    return reply.code(404).send({
      statusCode: 404,
      code,
      error: 'Not Found',
      message: `Nothing is served at ${request.method} ${path}`,
    });
  });

  return app;
}
