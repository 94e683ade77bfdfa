import fp from 'fastify-plugin';
import { upstreamMetrics } from '../metrics.ts';
import { createServiceClients, type DownstreamProbe, type DownstreamSettings, type ServiceClients, type ServiceName } from './service-clients.ts';

export interface ClientsPluginOptions {
  /** Where each backend is, and the budget (ms) and breaker of a call (`downstreamConfig`). */
  config: DownstreamSettings;
  /** Budgets (ms) of services that need another than DOWNSTREAM_TIMEOUT_MS. */
  timeoutsMs?: Partial<Record<ServiceName, number>>;
  /** Replacements for the HTTP clients (tests); the budget and circuit breaker still wrap them. */
  replace?: Partial<ServiceClients>;
}

/**
 * The one way a BFF wires its backends: decorates `app.clients` (one client per service, built by
 * `createServiceClients`, each call within its budget and behind its breaker) and `app.downstreams`
 * (each service's probe, for `/ready/downstreams`), and reports every call and circuit at `/metrics`
 * (`upstream_requests_total`, `upstream_request_duration_seconds`, `upstream_circuit_state`). Throws nothing at
 * registration; calls throw DownstreamError.
 */
export const clientsPlugin = fp<ClientsPluginOptions>(
  async (app, { config, timeoutsMs, replace }) => {
    // Upstream calls and each breaker's state show at /metrics (a bare Fastify in tests has no registry).
    // Read at scrape time, once the clients below exist.
    const observe = app.hasDecorator('metrics') ? upstreamMetrics(app.metrics, () => wired.circuits()) : undefined;
    const wired = createServiceClients({ config, timeoutsMs, replace, logger: app.log, observe });
    const { clients, probes } = wired;
    app.decorate('clients', clients);
    app.decorate('downstreams', probes);
  },
  { name: 'clients' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The backend services' clients (`app.clients.cart`, …). */
    clients: ServiceClients;
    /** Circuit and health per backend service, for `/ready/downstreams`. */
    downstreams: Map<ServiceName, DownstreamProbe>;
  }
}
