import fp from 'fastify-plugin';
import compress from '@fastify/compress';
import etag from '@fastify/etag';

/** Weak comparison (RFC 9110 §8.8.3.2) of an If-None-Match list against the representation's ETag. */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => opaque(candidate) === opaque(tag));
}

/**
 * Conditional GETs and compression for the API:
 * - @fastify/etag makes a weak ETag from each serialised body (weak: the gzip and brotli encodings of one
 *   JSON body are the same representation); a successful GET or HEAD whose If-None-Match matches is a 304
 *   without a body, so an app revalidating an unchanged screen pays a few header bytes. Other methods and
 *   errors carry no ETag.
 * - @fastify/compress answers brotli or gzip, as the app asks (`Accept-Encoding`), for bodies above 1 KB.
 * - GETs default to `no-cache` (always revalidate: stock and prices move), `private` when a token was sent.
 */
export const httpCachingPlugin = fp(
  async (app) => {
    await app.register(etag, { weak: true, replyWith304: false });
    app.addHook('onSend', async (req, reply, payload) => {
      const tag = reply.getHeader('etag');
      const cacheable = (req.method === 'GET' || req.method === 'HEAD') && reply.statusCode >= 200 && reply.statusCode < 300;
      if (!cacheable) {
        reply.removeHeader('etag');
        return payload;
      }
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', req.headers.authorization ? 'private, no-cache' : 'public, no-cache');
      if (typeof tag === 'string' && matchesIfNoneMatch(req.headers['if-none-match'], tag)) {
        reply.code(304);
        reply.removeHeader('content-type');
        reply.removeHeader('content-length');
        return '';
      }
      return payload;
    });
    // Quality 4 (the plugin's default) keeps brotli fast enough for dynamic answers.
    await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
  },
  { name: 'mobile-http-caching' },
);
