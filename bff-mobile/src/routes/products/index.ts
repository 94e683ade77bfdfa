import type { FastifyReply } from 'fastify';
import { ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { App } from '@shop/platform/server';
import { productNotFound } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { detailImageWidth, SIZE_HINT_HEADERS } from '../../lib/images.ts';
import { listedStock, mobileStock, toDetail, toSummary } from '../../lib/products.ts';
import { ImageSizeQuery, ProductDetail, ProductsPage, ProductsQuery, SkuParams } from '../../schemas/catalog.ts';
import { notModified, problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';

/** The catalog pages no further than this offset; a cursor never points past it. */
const MAX_OFFSET = (ProductSearchQuery.properties.offset as { maximum?: number }).maximum ?? 10_000;

/** The image URL in the answer depends on the device's size hints: caches must key on them. */
function varyOnSizeHints(reply: FastifyReply) {
  reply.header('vary', SIZE_HINT_HEADERS.join(', '));
}

export default async function productRoutes(app: App) {
  app.get(
    '/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Search and filter products, a page at a time',
        querystring: ProductsQuery,
        response: { 200: ref(ProductsPage, 'a page of products'), ...notModified, ...problems({ 400: 'invalid query or cursor' }) },
      },
    },
    async (req) => {
      const { cursor, limit = 20 } = req.query;
      const search = { query: req.query.query?.trim() || undefined, category: req.query.category || undefined };
      const offset = cursor ? decodeCursor(cursor, search, MAX_OFFSET) : 0;
      // One upstream call at most (none for a kept page): the listing carries each product's stock from catalog's read model.
      const page = await app.listings.searchProducts({ ...search, offset, limit });
      const next = offset + page.items.length;
      return {
        // Tile pictures carry no size: the image request's own DPR hint sizes them, and the list stays lean and cacheable.
        items: page.items.map((p) => toSummary(p, listedStock(p))),
        nextCursor: page.items.length > 0 && next < page.total && next <= MAX_OFFSET ? encodeCursor(next, search) : null,
      };
    },
  );

  app.get(
    '/products/:sku',
    {
      schema: {
        tags: ['catalog'],
        summary: 'One product, its picture sized for the device (`width`/`dpr`, or DPR and Viewport-Width hints)',
        params: SkuParams,
        querystring: ImageSizeQuery,
        response: { 200: ref(ProductDetail, 'the product'), ...notModified, ...problems({ 400: 'invalid sku or size', 404: 'no such product' }) },
      },
    },
    async (req, reply) => {
      const { sku } = req.params;
      const [product, level] = await Promise.allSettled([app.clients.catalog.getProduct(sku), app.clients.inventory.getStock(sku)]);
      if (product.status === 'rejected') throw product.reason;
      if (product.value === null) throw productNotFound(sku);
      if (level.status === 'rejected') req.log.warn({ err: level.reason, sku }, 'stock from inventory unavailable; using the catalog read model');
      const stock = level.status === 'fulfilled' ? mobileStock(level.value?.available ?? 0) : mobileStock(product.value.available);
      varyOnSizeHints(reply);
      return toDetail(product.value, stock, detailImageWidth(req, req.query));
    },
  );
}
