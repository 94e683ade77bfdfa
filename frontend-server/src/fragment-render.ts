import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { VERSION_PATTERN } from './release-manifest.ts';

/**
 * `POST /render` on a fragment's server: the HTML of the fragment's first screen for a page of the shell,
 * so the shell's server can put it in the page before any JavaScript runs (issue 9). The fragment's
 * server-render bundle (its SSR build, e.g. `dist-ssr/server-render.js`) does the rendering; this is the
 * HTTP side: checks the body, imports the bundle lazily, maps its outcomes to status codes.
 *
 * `POST /releases/<version>/render` does the same with that release's own bundle, which `npm run release`
 * builds into the release's folder (`<version>/.ssr/`, a dot-folder the static server never sends): the
 * shell asks `new URL('render', entry)` of the build a browser is on, so a canary's page is composed by the
 * canary's code, never by stable's (whose HTML the canary's modules would not hydrate).
 *
 * Contract (fixed with the shell):
 * - request `content-type: application/json`, body `{ "url": string, "data": object }`: `url` the page's
 *   path + query (starts with `/`, ≤ 2048 chars), `data` the page's first data as the shell inlines it in
 *   `#page-data` (API URL → bff-web's answer);
 * - 200 `text/html; charset=utf-8` with the HTML, `x-fragment-module: <remote>/<Expose>` naming the slot
 *   it fills, `cache-control: no-store`;
 * - 404 when the fragment fills no page at `url`; 400 for a body not of that shape (415 for a body that
 *   is not JSON at all, Fastify's); 422 when `data` lacks the page's first answer or it has the wrong
 *   shape; 503 when the bundle is not built. Errors in the server's usual JSON shape
 *   `{statusCode, code, error, message}`.
 */

/** Where the path and query of a page may go: an absolute path, as the browser sent it to the shell. */
export const MAX_RENDER_URL_LENGTH = 2048;
/**
 * The largest render request body (bytes): a page's first data is a few kB (48 products at most, about 20 kB).
 * Anything larger is refused (413) before it is parsed, let alone rendered: rendering is CPU on the event loop.
 */
export const MAX_RENDER_BODY_BYTES = 64 * 1024;

// Other fields are let through (and ignored): a newer shell may send more.
export const RenderRequest = Type.Object({
  url: Type.String({ pattern: '^/', maxLength: MAX_RENDER_URL_LENGTH }),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type RenderRequest = Static<typeof RenderRequest>;

/** The folder, inside a release's, that holds its server-render bundle (built by `npm run release`). */
export const RELEASE_RENDER_DIR = '.ssr';

/** What a fragment's server-render bundle exports (see mfe-catalog/src/app/server-render.tsx). */
export interface RenderModule {
  /** Undefined: no page of this fragment at `url`; throws a `RenderDataError` for data it cannot render. */
  renderFirstScreen(url: string, data: Record<string, unknown>): { module: string; html: string } | undefined;
  /** The error class it throws for unrenderable data; matched by name when absent. */
  RenderDataError?: new (...args: never[]) => Error;
}

export interface FragmentRenderOptions {
  /** The built bundle (`new URL('./dist-ssr/server-render.js', import.meta.url)`); a missing file answers 503. */
  module: URL;
  /** The app's error-code prefix (`MFE_CATALOG`). */
  codePrefix: string;
  /** The app's name, in messages. */
  name: string;
  /**
   * The folder of its releases (`<releasesDir>/<version>/`): when given, `POST /releases/<version>/render`
   * renders with `<version>/.ssr/<the module's file name>`.
   */
  releasesDir?: string;
}

/**
 * Registers `POST /render` on `app`, and `POST /releases/:version/render` when `options.releasesDir` is
 * given (see the contract above). Never throws for a request; a bug in a bundle is a 500 that hides its message.
 */
export function registerFragmentRender(app: FastifyInstance, options: FragmentRenderOptions): void {
  const file = fileURLToPath(options.module);
  // Each bundle imported once per build: a rebuild of dist-ssr/ (new mtime) is picked up without a
  // restart, as dist/ is; a release's never changes. A missing file is looked for again next time.
  const loaded = new Map<string, { mtimeMs: number; module: Promise<RenderModule> }>();
  const bundleAt = (bundleFile: string): Promise<RenderModule> | undefined => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(bundleFile).mtimeMs;
    } catch {
      return undefined;
    }
    const known = loaded.get(bundleFile);
    if (known?.mtimeMs === mtimeMs) return known.module;
    const module = import(`${pathToFileURL(bundleFile).href}?build=${mtimeMs}`) as Promise<RenderModule>;
    loaded.set(bundleFile, { mtimeMs, module });
    // A broken bundle is retried on the next request rather than remembered.
    module.catch(() => {
      if (loaded.get(bundleFile)?.module === module) loaded.delete(bundleFile);
    });
    return module;
  };

  const fail = (reply: FastifyReply, statusCode: number, code: string, error: string, message: string) =>
    reply
      .code(statusCode)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send({ statusCode, code: `${options.codePrefix}_${code}`, error, message });

  const respond = async (request: FastifyRequest<{ Body: RenderRequest }>, reply: FastifyReply, bundleFile: string, build: string) => {
    if (request.validationError) {
      return fail(reply, 400, 'BAD_RENDER_REQUEST', 'Bad Request', `A render request is {"url": "/…", "data": {…}}: ${request.validationError.message}`);
    }
    const { url, data } = request.body;
    const pending = bundleAt(bundleFile);
    if (!pending) return fail(reply, 503, 'RENDER_NOT_BUILT', 'Service Unavailable', `${options.name} has no server-render build for ${build}`);
    let render: RenderModule;
    try {
      render = await pending;
    } catch (error) {
      request.log.error({ err: error, file: bundleFile }, 'the server-render bundle could not be loaded');
      return fail(reply, 503, 'RENDER_NOT_BUILT', 'Service Unavailable', `${options.name}'s server-render build for ${build} could not be loaded`);
    }
    let screen: ReturnType<RenderModule['renderFirstScreen']>;
    try {
      screen = render.renderFirstScreen(url, data);
    } catch (error) {
      const isDataError = render.RenderDataError ? error instanceof render.RenderDataError : (error as Error | undefined)?.name === 'RenderDataError';
      if (isDataError) return fail(reply, 422, 'UNRENDERABLE_DATA', 'Unprocessable Entity', (error as Error).message);
      request.log.error({ err: error, url, build }, 'rendering the first screen failed');
      return fail(reply, 500, 'RENDER_FAILED', 'Internal Server Error', 'The first screen could not be rendered');
    }
    if (!screen) return fail(reply, 404, 'NOT_FOUND', 'Not Found', `${options.name} renders no page at ${url.split('?')[0]}`);
    return reply
      .header('x-fragment-module', screen.module)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(screen.html);
  };

  // Loaded as the server starts, not on the first page: importing it takes longer (about 0.6 s, its npm
  // packages resolved from node_modules) than the shell waits for a render, so that page would go without.
  app.addHook('onReady', async () => void bundleAt(file));

  // The error in this server's shape (its code), not Fastify's FST_ERR_VALIDATION.
  const route = { schema: { body: RenderRequest }, attachValidation: true, bodyLimit: MAX_RENDER_BODY_BYTES };
  app.post<{ Body: RenderRequest }>('/render', route, (request, reply) => respond(request, reply, file, 'its current build'));

  const { releasesDir } = options;
  if (releasesDir === undefined) return;
  app.post<{ Body: RenderRequest; Params: { version: string } }>('/releases/:version/render', route, (request, reply) => {
    const { version } = request.params;
    // The pattern keeps the path inside releasesDir (no `..`, no dot-folder).
    if (!VERSION_PATTERN.test(version) || !existsSync(join(releasesDir, version, 'mf-manifest.json'))) {
      return fail(reply, 404, 'NOT_FOUND', 'Not Found', `${options.name} has no release ${JSON.stringify(version.slice(0, 80))}`);
    }
    return respond(request, reply, join(releasesDir, version, RELEASE_RENDER_DIR, basename(file)), `release ${version}`);
  });
}
