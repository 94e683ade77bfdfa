import { Type } from 'typebox';
import { ApiError } from '@shop/contracts/api/errors';
import type { App } from '@shop/platform/server';
import { imageNotFound, imageUnavailable } from '../../errors.ts';

/** `<SKU>.svg`, the only names the catalog gives its pictures; anything else (paths, dots) is refused. */
const ImageParams = Type.Object({
  file: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}\\.svg$', description: '<SKU>.svg' }),
});

/** Names are not content-hashed (a renamed product redraws its picture), so: fresh for a day, then revalidated in the background. */
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';
// Served from the page's own origin, so an SVG opened directly must not run script.
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

export default async function imageRoutes(app: App) {
  app.get(
    '/images/:file',
    {
      schema: {
        params: ImageParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the image, usually image/svg+xml' }),
          400: ApiError,
          404: ApiError,
          503: ApiError,
        },
      },
    },
    async (req, reply) => {
      const image = await app.clients.catalog.getImage(req.params.file).catch((err: unknown) => {
        req.log.warn({ err, file: req.params.file }, 'image unavailable: catalog failed');
        throw imageUnavailable();
      });
      if (!image) throw imageNotFound(req.params.file);
      if (image.etag) reply.header('etag', image.etag);
      return reply
        .type(image.contentType)
        .header('cache-control', CACHE_CONTROL)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', SVG_CSP)
        .send(image.body);
    },
  );
}
