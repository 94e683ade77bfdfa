import { existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import httpProxy from '@fastify/http-proxy';

export interface FragmentServerOptions {
  /** The Vite build output. */
  distDir: string;
  /** bff-web, proxied only for the standalone page (inside the shell the shell proxies it). */
  bffWebUrl: string;
  logger?: FastifyServerOptions['logger'];
}

export const NO_CACHE = 'no-cache';
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Vite content-hashes everything under assets/. The manifest, remoteEntry.js and index.html keep
 * their names across deploys, so they must be revalidated or a new deploy would go unseen.
 */
export function cacheControlFor(pathInDist: string): string {
  return pathInDist.split(sep).join('/').startsWith('assets/') ? IMMUTABLE : NO_CACHE;
}

/** Serves the fragment's build to the shell's origin (with CORS) and its standalone page. */
export async function buildFragmentServer(options: FragmentServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true });
  const manifestFile = join(options.distDir, 'mf-manifest.json');

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) =>
    existsSync(manifestFile)
      ? { status: 'ready' }
      : reply.code(503).send({ status: 'not_ready', reason: `${manifestFile} is missing: run the build first` }),
  );

  await app.register(httpProxy, { upstream: options.bffWebUrl, prefix: '/api', rewritePrefix: '/api' });
  await app.register(httpProxy, {
    upstream: options.bffWebUrl,
    prefix: '/socket.io',
    rewritePrefix: '/socket.io',
    websocket: true,
  });

  await app.register(fastifyStatic, {
    root: options.distDir,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.setHeader('cache-control', cacheControlFor(relative(options.distDir, filePath)));
      // The shell (another origin) loads these as module scripts and stylesheets, which need CORS.
      // They are public, credential-free files, so any origin may read them.
      res.setHeader('access-control-allow-origin', '*');
    },
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && extname(path) === '') {
      return reply.header('cache-control', NO_CACHE).sendFile('index.html');
    }
    return reply.code(404).send({
      statusCode: 404,
      code: 'MFE_CATALOG_NOT_FOUND',
      error: 'Not Found',
      message: `Nothing is served at ${request.method} ${path}`,
    });
  });

  return app;
}
