import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import { guardCart, httpCartClient, type CartClient } from './cart.ts';
import { guardCatalog, httpCatalogClient, type CatalogClient } from './catalog.ts';
import { createDownstream, type CircuitStatus, type Downstream, type DownstreamPolicy } from './downstream.ts';
import type { UpstreamObserver } from '../metrics.ts';
import { guardIdentity, httpIdentityClient, type IdentityClient } from './identity.ts';
import { guardInventory, httpInventoryClient, type InventoryClient } from './inventory.ts';
import { guardOrders, httpOrdersClient, type OrdersClient } from './orders.ts';
import { guardPayments, httpPaymentsClient, type PaymentsClient } from './payments.ts';

/** One client per backend service, as both BFFs call them. */
export interface ServiceClients {
  catalog: CatalogClient;
  inventory: InventoryClient;
  cart: CartClient;
  orders: OrdersClient;
  payments: PaymentsClient;
  identity: IdentityClient;
}
export type ServiceName = keyof ServiceClients;

const HttpUrl = (fallback: string) => Type.String({ default: fallback, pattern: '^https?://[^\\s]+$' });

/** The BFFs' configuration of their backends: where each service is, and the budget and breaker of a call. */
export const downstreamConfig = ({ timeoutMs }: { timeoutMs: number }) => ({
  CATALOG_URL: HttpUrl('http://127.0.0.1:7101'),
  INVENTORY_URL: HttpUrl('http://127.0.0.1:7102'),
  CART_URL: HttpUrl('http://127.0.0.1:7103'),
  ORDERS_URL: HttpUrl('http://127.0.0.1:7104'),
  PAYMENTS_URL: HttpUrl('http://127.0.0.1:7105'),
  IDENTITY_URL: HttpUrl('http://127.0.0.1:7106'),
  /** Time budget of one downstream call (ms). */
  DOWNSTREAM_TIMEOUT_MS: Type.Integer({ default: timeoutMs, minimum: 10, maximum: 30_000 }),
  /** Consecutive failures (errors, 5xx, timeouts) that open a downstream's circuit. */
  BREAKER_THRESHOLD: Type.Integer({ default: 5, minimum: 1 }),
  /** How long an open circuit fails fast before it lets one trial call through (ms). */
  BREAKER_HALF_OPEN_MS: Type.Integer({ default: 5_000, minimum: 100 }),
});

/** The settings `downstreamConfig` reads, as loaded. */
export interface DownstreamSettings {
  CATALOG_URL: string;
  INVENTORY_URL: string;
  CART_URL: string;
  ORDERS_URL: string;
  PAYMENTS_URL: string;
  IDENTITY_URL: string;
  DOWNSTREAM_TIMEOUT_MS: number;
  BREAKER_THRESHOLD: number;
  BREAKER_HALF_OPEN_MS: number;
}

/** What `/ready/downstreams` reports per service. */
export interface DownstreamProbe {
  circuit(): CircuitStatus;
  ping(): Promise<void>;
}

export interface ServiceClientsOptions {
  config: DownstreamSettings;
  /** Budgets (ms) of services that need another than DOWNSTREAM_TIMEOUT_MS (identity's password hashing). */
  timeoutsMs?: Partial<Record<ServiceName, number>>;
  /** Replacements for the HTTP clients (tests); the budget and circuit breaker still wrap them. */
  replace?: Partial<ServiceClients>;
  logger: FastifyBaseLogger;
  /** Told of every call's outcome and duration (the BFF's upstream metrics). */
  observe?: UpstreamObserver;
}

/**
 * The one way both BFFs wire their backends: each service's HTTP client (or its replacement), every call
 * within the service's budget and behind its own circuit breaker (cockatiel), plus a probe per service
 * for `/ready/downstreams`. Throws nothing; calls throw DownstreamError.
 */
export function createServiceClients({ config, timeoutsMs = {}, replace = {}, logger, observe }: ServiceClientsOptions): {
  clients: ServiceClients;
  probes: Map<ServiceName, DownstreamProbe>;
  /** Every circuit breaker by name, the services' and the bulkheads' (`catalog-images`): for `upstream_circuit_state`. */
  circuits: () => [string, CircuitStatus][];
} {
  const downstreams = new Map<ServiceName, Downstream>();
  const policy = (name: ServiceName): DownstreamPolicy => ({
    timeoutMs: timeoutsMs[name] ?? config.DOWNSTREAM_TIMEOUT_MS,
    breakerThreshold: config.BREAKER_THRESHOLD,
    halfOpenAfterMs: config.BREAKER_HALF_OPEN_MS,
  });
  const guard = (name: ServiceName) => {
    const downstream = createDownstream({ name, ...policy(name), logger, observe });
    downstreams.set(name, downstream);
    return downstream;
  };
  // A bulkhead: the catalog's pictures have a circuit of their own. A page of fresh browsers asks for a dozen
  // at once; should they time out, the circuit the page's products come through stays closed.
  const catalogImages = createDownstream({ name: 'catalog-images', ...policy('catalog'), logger, observe });
  const clients: ServiceClients = {
    catalog: guardCatalog(replace.catalog ?? httpCatalogClient(config.CATALOG_URL), guard('catalog'), catalogImages),
    inventory: guardInventory(replace.inventory ?? httpInventoryClient(config.INVENTORY_URL), guard('inventory')),
    cart: guardCart(replace.cart ?? httpCartClient(config.CART_URL), guard('cart')),
    orders: guardOrders(replace.orders ?? httpOrdersClient(config.ORDERS_URL), guard('orders')),
    payments: guardPayments(replace.payments ?? httpPaymentsClient(config.PAYMENTS_URL), guard('payments')),
    identity: guardIdentity(replace.identity ?? httpIdentityClient(config.IDENTITY_URL), guard('identity')),
  };
  const probes = new Map<ServiceName, DownstreamProbe>();
  for (const [name, downstream] of downstreams) probes.set(name, { circuit: downstream.circuit, ping: () => clients[name].ping() });
  const breakers: [string, Downstream][] = [...downstreams, ['catalog-images', catalogImages]];
  return { clients, probes, circuits: () => breakers.map(([name, downstream]) => [name, downstream.circuit()]) };
}

const DownstreamReport = Type.Object({
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open'), Type.Literal('isolated')]),
  /** `ok`, or why the service did not answer its /health within the budget. */
  health: Type.String(),
});

/** The body of `GET /ready/downstreams`. */
export const DownstreamsStatus = Type.Object({
  service: Type.String(),
  downstreams: Type.Record(Type.String(), DownstreamReport),
});

/** Pings every service at once (each within its budget) and reports its circuit and health; never throws. */
export async function downstreamsReport(probes: Map<ServiceName, DownstreamProbe>): Promise<Record<string, { circuit: CircuitStatus; health: string }>> {
  const entries = await Promise.all(
    [...probes].map(async ([name, probe]) => {
      const health = await probe.ping().then(
        () => 'ok',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      return [name, { circuit: probe.circuit(), health }] as const;
    }),
  );
  return Object.fromEntries(entries);
}
