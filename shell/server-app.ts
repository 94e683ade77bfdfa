import { existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import httpProxy from '@fastify/http-proxy';
import type { RemotesFile } from './src/features/fragments/utils/parse-remotes.ts';

export interface ShellServerOptions {
  /** The Vite build output. */
  distDir: string;
  /** bff-web, which the browser reaches same-origin through /api and /socket.io. */
  bffWebUrl: string;
  remotes: RemotesFile;
  logger?: FastifyServerOptions['logger'];
}

export const NO_CACHE = 'no-cache';
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Vite content-hashes everything under assets/; anything else may change under the same name. */
export function cacheControlFor(pathInDist: string): string {
  return pathInDist.split(sep).join('/').startsWith('assets/') ? IMMUTABLE : NO_CACHE;
}

/** Serves the built shell, `/remotes.json`, and proxies the BFF so the page stays same-origin. */
export async function buildShellServer(options: ShellServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? true });
  const indexFile = join(options.distDir, 'index.html');
  const remotesBody = JSON.stringify(options.remotes);

  app.get('/health', async () => ({ status: 'ok' }));
  // Ready once there is a build to serve. Fragments and the BFF are not checked: the page degrades
  // slot by slot without them, so taking the shell out of rotation would only make things worse.
  app.get('/ready', async (_request, reply) =>
    existsSync(indexFile)
      ? { status: 'ready' }
      : reply.code(503).send({ status: 'not_ready', reason: `${indexFile} is missing: run the build first` }),
  );

  app.get('/remotes.json', async (_request, reply) =>
    reply.header('cache-control', NO_CACHE).type('application/json; charset=utf-8').send(remotesBody),
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
    setHeaders: (res, filePath) => res.setHeader('cache-control', cacheControlFor(relative(options.distDir, filePath))),
  });

  // Client routes (/products/KIT-0001, /cart) get the app; a missing file stays a 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if ((request.method === 'GET' || request.method === 'HEAD') && extname(path) === '') {
      return reply.header('cache-control', NO_CACHE).sendFile('index.html');
    }
    return reply.code(404).send({
      statusCode: 404,
      code: 'SHELL_NOT_FOUND',
      error: 'Not Found',
      message: `Nothing is served at ${request.method} ${path}`,
    });
  });

  return app;
}
