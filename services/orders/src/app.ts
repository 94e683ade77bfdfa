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
import type { SagaContext } from './saga.ts';

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

export async function buildApp(config: Config, options: ServiceAppOptions = {}) {
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
  await app.register(sagaMetricsPlugin);
  await app.register(orderRoutes, { saga });
  return app;
}
