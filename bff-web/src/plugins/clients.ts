import fp from 'fastify-plugin';
import { createServiceClients, type DownstreamProbe, type ServiceClients, type ServiceName } from '@shop/platform/clients/service-clients';
import type { Config } from '../config.ts';

export interface ClientsOptions {
  config: Config;
  /** Replacements for the HTTP clients (tests); the budget and circuit breaker still wrap them. */
  replace?: Partial<ServiceClients>;
}

/**
 * `app.catalog`, `app.inventory`, `app.cart`, `app.orders`, `app.payments`, `app.identity`: the backends'
 * clients wired the way both BFFs wire them (`createServiceClients`), and `app.downstreams` for the status report.
 */
export const clientsPlugin = fp<ClientsOptions>(
  async (app, { config, replace }) => {
    // Registration and sign-in run a memory-hard password hash: identity has a budget of its own.
    const { clients, probes } = createServiceClients({ config, timeoutsMs: { identity: config.IDENTITY_TIMEOUT_MS }, replace, logger: app.log });
    app.decorate('catalog', clients.catalog);
    app.decorate('inventory', clients.inventory);
    app.decorate('cart', clients.cart);
    app.decorate('orders', clients.orders);
    app.decorate('payments', clients.payments);
    app.decorate('identity', clients.identity);
    app.decorate('downstreams', probes);
  },
  { name: 'clients' },
);

declare module 'fastify' {
  // Each service's client is a decorator of its own name (`app.cart`, …).
  interface FastifyInstance extends ServiceClients {
    downstreams: Map<ServiceName, DownstreamProbe>;
  }
}
