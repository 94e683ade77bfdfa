import fp from 'fastify-plugin';
import { createServiceClients, type DownstreamProbe, type ServiceClients, type ServiceName } from '@shop/platform/clients/service-clients';
import type { Config } from '../config.ts';

export interface ClientsOptions {
  config: Config;
  /** Replacements for the HTTP clients (tests); the budget and circuit breaker still wrap them. */
  replace?: Partial<ServiceClients>;
}

/**
 * `app.backends`: the backends' clients wired the way both BFFs wire them (`createServiceClients`), and
 * `app.backendProbes` for the status report.
 */
export const clientsPlugin = fp<ClientsOptions>(
  async (app, { config, replace }) => {
    const { clients, probes } = createServiceClients({ config, replace, logger: app.log });
    app.decorate('backends', clients);
    app.decorate('backendProbes', probes);
  },
  { name: 'mobile-clients' },
);

declare module 'fastify' {
  interface FastifyInstance {
    backends: ServiceClients;
    /** Circuit and health per backend service, for `/ready/downstreams`. */
    backendProbes: Map<ServiceName, DownstreamProbe>;
  }
}
