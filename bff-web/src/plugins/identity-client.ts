import { guardIdentity, httpIdentityClient, type IdentityClient } from '@shop/platform/clients/identity';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.identity`: the identity service's client, every call within the budget and behind the service's circuit breaker. */
export const identityClientPlugin = clientPlugin('identity', httpIdentityClient, guardIdentity);

declare module 'fastify' {
  interface FastifyInstance {
    identity: IdentityClient;
  }
}
