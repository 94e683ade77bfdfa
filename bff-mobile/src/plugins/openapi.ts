import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const API_PREFIX = '/m/v1';
export const DOCS_PREFIX = '/m/docs';

/**
 * The OpenAPI 3.1 document, generated from the route schemas (so it cannot drift from what the routes
 * validate and send), served at /m/v1/openapi.json; a docs page at /m/docs. Only /m/v1 is documented,
 * with that prefix as the server URL. Register before the routes: it collects them as they are added.
 */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Storefront mobile API',
          version: '1.0.0',
          description: [
            'A lean, versioned API for the shop\'s mobile apps. Errors are RFC 9457 `application/problem+json`;',
            'GET answers carry an ETag (send `If-None-Match` for a 304); brotli and gzip on request.',
            'Live updates: socket.io namespace `/m` on the same host, `auth: {token, since?: {user, stock}}`.',
          ].join(' '),
        },
        servers: [{ url: API_PREFIX }],
        tags: [
          { name: 'auth', description: 'tokens for the app' },
          { name: 'catalog', description: 'browsing; no token needed' },
          { name: 'cart', description: "the signed-in user's cart" },
          { name: 'orders', description: 'checkout and order history' },
        ],
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'accessToken from /auth/token' } },
        },
      },
      // Named schemas (`$id`) become components under their own names.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
      // Only the versioned API is the app's contract; health checks and docs assets are not.
      transform: ({ schema, url }) => ({
        schema: url.startsWith(`${API_PREFIX}/`) ? schema : { ...schema, hide: true },
        url,
      }),
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: false } });
  },
  { name: 'mobile-openapi' },
);
