import type { App } from '@shop/platform/server';
import { Jwks } from '../../schemas/jwks.ts';

export default async function wellKnownRoutes(app: App) {
  // Verifiers (the BFFs, via jose's remote key set) fetch this; a token with an unknown kid makes them refetch.
  app.get('/.well-known/jwks.json', { schema: { response: { 200: Jwks } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: await app.tokens.publicKeys() };
  });
}
