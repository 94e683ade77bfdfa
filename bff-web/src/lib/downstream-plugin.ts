import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDownstream, type CircuitStatus, type Downstream, type DownstreamPolicy } from '@shop/platform/clients/downstream';

/** What `/ready/downstreams` reports per service. */
export interface DownstreamProbe {
  circuit(): CircuitStatus;
  ping(): Promise<void>;
}

export interface ClientPluginOptions<C> extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: C;
}

type Service = 'catalog' | 'inventory' | 'cart' | 'orders' | 'payments' | 'identity';

/**
 * A plugin that decorates `app[service]` with the service's shared client (`@shop/platform/clients/*`),
 * every call within the budget and behind the service's own circuit breaker, and lists it for the status report.
 */
export function clientPlugin<S extends Service>(
  service: S,
  http: (baseUrl: string) => FastifyInstance[S],
  guard: (client: FastifyInstance[S], downstream: Downstream) => FastifyInstance[S],
) {
  return fp<ClientPluginOptions<FastifyInstance[S]>>(
    async (app, { baseUrl, client = http(baseUrl), ...policy }) => {
      const downstream = createDownstream({ name: service, ...policy, logger: app.log });
      const guarded = guard(client, downstream);
      if (!app.hasDecorator('downstreams')) app.decorate('downstreams', new Map<string, DownstreamProbe>());
      // Fastify cannot check a decorator whose name is a type parameter; the signature above ties each client to its decorator.
      app.decorate<object>(service, guarded);
      app.downstreams.set(service, { circuit: downstream.circuit, ping: () => guarded.ping() });
    },
    { name: `${service}-client` },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    downstreams: Map<string, DownstreamProbe>;
  }
}
