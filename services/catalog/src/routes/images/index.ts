import type { App } from '@shop/platform/server';
import { imageNotFound } from '../../errors.ts';
import { productImageSvg } from '../../product-image.ts';
import { ImageParams } from '../../schemas/products.ts';

export default async function imageRoutes(app: App) {
  app.get('/images/:file', { schema: { params: ImageParams } }, async (req, reply) => {
    const sku = req.params.file.replace(/\.svg$/, '');
    const { rows } = await app.db.query<{ sku: string; name: string; category: string }>(
      'SELECT sku, name, category FROM products WHERE sku = $1',
      [sku],
    );
    if (!rows[0]) throw imageNotFound(req.params.file);
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(productImageSvg(rows[0]));
  });
}
