import { Type } from 'typebox';
import type { App } from '@shop/platform/server';
import { imageNotFound } from '../../errors.ts';
import { bucketWidth, DEFAULT_CSS_WIDTH, dprHint, sizeSvg } from '../../lib/images.ts';
import { ImageQuery, SkuParams } from '../../schemas/catalog.ts';
import { notModified, problems } from '../../schemas/problem.ts';

/** Pictures change rarely (a renamed product redraws its own): fresh for a day, then revalidated in the background. */
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';
// An SVG opened on its own must not run script.
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

export default async function imageRoutes(app: App, { rateLimit }: { rateLimit: { max: number } }) {
  app.get(
    '/images/:sku',
    {
      // Every tile fetches one: a higher allowance than other routes.
      config: { rateLimit },
      schema: {
        tags: ['catalog'],
        summary: 'A product picture at a width for the device (`w`, else the DPR hint × a tile)',
        params: SkuParams,
        querystring: ImageQuery,
        response: {
          200: { description: 'the picture', content: { 'image/svg+xml': { schema: Type.String() } } },
          ...notModified,
          ...problems({ 400: 'invalid sku or width', 404: 'no picture of such a product' }),
        },
      },
    },
    async (req, reply) => {
      const { sku } = req.params;
      const image = await app.clients.catalog.getImage(`${sku}.svg`);
      if (!image) throw imageNotFound(sku);
      const width = bucketWidth(req.query.w ?? DEFAULT_CSS_WIDTH.tile * (dprHint(req) ?? 1));
      if (req.query.w === undefined) reply.header('vary', 'sec-ch-dpr, dpr');
      const svg = image.contentType.includes('svg');
      return reply
        .type(image.contentType)
        .header('cache-control', CACHE_CONTROL)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', SVG_CSP)
        .send(svg ? sizeSvg(image.body.toString('utf8'), width) : (image.body as unknown as string));
    },
  );
}
