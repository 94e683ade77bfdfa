import fp from 'fastify-plugin';
import { createDownstream, type CircuitStatus, type DownstreamPolicy } from '@shop/platform/clients/downstream';
import { guardCart, httpCartClient, type CartClient } from '@shop/platform/clients/cart';
import { guardCatalog, httpCatalogClient, type CatalogClient } from '@shop/platform/clients/catalog';
import { guardIdentity, httpIdentityClient, type IdentityClient } from '@shop/platform/clients/identity';
import { guardInventory, httpInventoryClient, type InventoryClient } from '@shop/platform/clients/inventory';
import { guardOrders, httpOrdersClient, type OrdersClient } from '@shop/platform/clients/orders';
import { guardPayments, httpPaymentsClient, type PaymentsClient } from '@shop/platform/clients/payments';
import type { Config } from '../config.ts';

export interface ServiceClients {
  catalog: CatalogClient;
  inventory: InventoryClient;
  identity: IdentityClient;
  cart: CartClient;
  orders: OrdersClient;
  payments: PaymentsClient;
}

export interface ClientsOptions {
  config: Config;
  /** Replacements for the HTTP clients (tests); the budget and circuit breaker still wrap them. */
  replace?: Partial<ServiceClients>;
}

/**
 * `app.backends`: one client per backend service (shared with bff-web through
 * `@shop/platform/clients`), each call within the budget and behind that service's circuit breaker.
 */
export const clientsPlugin = fp<ClientsOptions>(
  async (app, { config, replace = {} }) => {
    const policy: DownstreamPolicy = {
      timeoutMs: config.DOWNSTREAM_TIMEOUT_MS,
      breakerThreshold: config.BREAKER_THRESHOLD,
      halfOpenAfterMs: config.BREAKER_HALF_OPEN_MS,
    };
    const circuits = new Map<string, () => CircuitStatus>();
    const guard = (name: keyof ServiceClients) => {
      const downstream = createDownstream({ name, ...policy, logger: app.log });
      circuits.set(name, downstream.circuit);
      return downstream;
    };
    const backends: ServiceClients = {
      catalog: guardCatalog(replace.catalog ?? httpCatalogClient(config.CATALOG_URL), guard('catalog')),
      inventory: guardInventory(replace.inventory ?? httpInventoryClient(config.INVENTORY_URL), guard('inventory')),
      identity: guardIdentity(replace.identity ?? httpIdentityClient(config.IDENTITY_URL), guard('identity')),
      cart: guardCart(replace.cart ?? httpCartClient(config.CART_URL), guard('cart')),
      orders: guardOrders(replace.orders ?? httpOrdersClient(config.ORDERS_URL), guard('orders')),
      payments: guardPayments(replace.payments ?? httpPaymentsClient(config.PAYMENTS_URL), guard('payments')),
    };
    app.decorate('backends', backends);
    app.decorate('backendCircuits', circuits);
  },
  { name: 'mobile-clients' },
);

declare module 'fastify' {
  interface FastifyInstance {
    backends: ServiceClients;
    /** Circuit state per backend service, for `/ready/downstreams`. */
    backendCircuits: Map<string, () => CircuitStatus>;
  }
}
