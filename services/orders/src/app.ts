import { fileURLToPath } from 'node:url';
import { InventoryEventTypes } from '@shop/contracts/events/inventory';
import { PaymentEventTypes } from '@shop/contracts/events/payments';
import type { DbClient } from '@shop/platform/db';
import type { EventHandlers } from '@shop/platform/event-handlers';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
// Types only: `app.db`, declared by the database plugin that createService registers.
import type {} from '@shop/platform/database-plugin';
import { SERVICE_NAME, type Config } from './config.ts';
import { paymentAuthorized } from './events/consumers/payment-authorized.ts';
import { paymentDeclined } from './events/consumers/payment-declined.ts';
import { paymentVoided } from './events/consumers/payment-voided.ts';
import { reservationRejected } from './events/consumers/reservation-rejected.ts';
import { stockCommitted } from './events/consumers/stock-committed.ts';
import { stockReserved } from './events/consumers/stock-reserved.ts';
import { sagaMetricsPlugin } from './plugins/saga-metrics.ts';
import { sweeperPlugin } from './plugins/sweeper.ts';
import orderRoutes from './routes/orders/index.ts';
import type { PriceSource, SagaContext } from './saga.ts';
import { catalogUnavailable } from './errors.ts';
import { httpCatalogClient, type CatalogClient } from '@shop/platform/clients/catalog';
import { createDownstream } from '@shop/platform/clients/downstream';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Names the saga consumer's processed-event records. */
export const SAGA = 'orders-saga';

/**
 * The saga's answers, from inventory and payments. Other event types on those topics
 * (stock.changed, stock.released, …) are none of the saga's business and are skipped.
 */
export const sagaHandlers = (ctx: SagaContext): EventHandlers<DbClient> => ({
  [InventoryEventTypes.stockReserved]: stockReserved(ctx),
  [InventoryEventTypes.reservationRejected]: reservationRejected(ctx),
  [InventoryEventTypes.stockCommitted]: stockCommitted(ctx),
  [PaymentEventTypes.authorized]: paymentAuthorized(ctx),
  [PaymentEventTypes.declined]: paymentDeclined(ctx),
  [PaymentEventTypes.voided]: paymentVoided(ctx),
});

export interface OrdersAppOptions extends ServiceAppOptions {
  /** Replaces the HTTP catalog client that prices orders (tests); the budget and breaker still wrap it. */
  catalog?: Pick<CatalogClient, 'getPrices'>;
}

export async function buildApp(config: Config, options: OrdersAppOptions = {}) {
  const sagaContext = (topic: string, log: SagaContext['log']): SagaContext => ({ topic, stepTimeoutMs: config.STEP_TIMEOUT_MS, log });
  const { app, topics } = await createService(config, options, {
    name: SERVICE_NAME,
    topic: 'orders',
    database: config.DATABASE_URL,
    consumers: (t, { log }) => [{
      groupId: config.SAGA_GROUP_ID,
      topics: [t.inventory, t.payments],
      once: SAGA,
      handlers: sagaHandlers(sagaContext(t.orders, log)),
    }],
  });
  const saga = sagaContext(topics.orders, app.log);
  // The sweeper moves overdue orders on by sending events, so it runs with messaging only.
  if (options.messaging !== false) await app.register(sweeperPlugin, { saga, intervalMs: config.SWEEP_INTERVAL_MS });
  const catalog = options.catalog ?? httpCatalogClient(config.CATALOG_URL);
  const catalogCalls = createDownstream({
    name: 'catalog',
    timeoutMs: config.CATALOG_TIMEOUT_MS,
    breakerThreshold: config.CATALOG_BREAKER_THRESHOLD,
    halfOpenAfterMs: config.CATALOG_BREAKER_HALF_OPEN_MS,
    logger: app.log,
  });
  const prices: PriceSource = (skus) =>
    catalogCalls.call((signal) => catalog.getPrices(skus, signal)).catch((err: unknown) => {
      app.log.warn({ err }, 'could not fetch prices from the catalog');
      throw catalogUnavailable();
    });
  await app.register(sagaMetricsPlugin);
  await app.register(orderRoutes, { saga, prices });
  return app;
}
