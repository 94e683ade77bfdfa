import type { FastifyInstance } from 'fastify';
import { createDownstream, type CircuitStatus, type Downstream } from '@shop/platform/clients/downstream';

/** Budget and breaker settings shared by every downstream client. */
export interface DownstreamPolicy {
  timeoutMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
}

/** What `/ready/downstreams` reports per service. */
export interface DownstreamProbe {
  circuit(): CircuitStatus;
  ping(): Promise<void>;
}

/** Creates the service's guard and lists it for the status report. */
export function registerDownstream(app: FastifyInstance, name: string, policy: DownstreamPolicy): Downstream {
  const downstream = createDownstream({ name, ...policy, logger: app.log });
  if (!app.hasDecorator('downstreams')) app.decorate('downstreams', new Map<string, DownstreamProbe>());
  return downstream;
}

export const joinUrl = (base: string, path: string) => new URL(base.replace(/\/+$/, '') + path);

declare module 'fastify' {
  interface FastifyInstance {
    downstreams: Map<string, DownstreamProbe>;
  }
}
