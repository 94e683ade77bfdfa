import { fileURLToPath } from 'node:url';
import { OrderEventTypes } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import type { EventHandlers } from '@shop/platform/event-handlers';
import { createService, type ServiceAppOptions } from '@shop/platform/service-app';
// Types only: `app.db`, declared by the database plugin that createService registers.
import type {} from '@shop/platform/database-plugin';
import type { ChargesContext } from './charges.ts';
import { SERVICE_NAME, type Config } from './config.ts';
import { orderCancelled } from './events/consumers/order-cancelled.ts';
import { orderConfirmed } from './events/consumers/order-confirmed.ts';
import { paymentRequested } from './events/consumers/payment-requested.ts';
import { simulatedProvider, type CardProvider } from './provider.ts';
import paymentMethodRoutes from './routes/payment-methods/index.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Names the charges consumer's processed-event records. */
export const CHARGES = 'payments-charges';

/** What payments follows on the orders topic: requests to charge, and how each order ended. */
export const chargesHandlers = (ctx: ChargesContext): EventHandlers<DbClient> => ({
  [OrderEventTypes.paymentRequested]: paymentRequested(ctx),
  [OrderEventTypes.cancelled]: orderCancelled(ctx),
  [OrderEventTypes.confirmed]: orderConfirmed(ctx),
});

export interface AppOptions extends ServiceAppOptions {
  provider?: CardProvider;
}

export async function buildApp(config: Config, { provider = simulatedProvider, ...options }: AppOptions = {}) {
  const { app } = await createService(config, options, {
    name: SERVICE_NAME,
    topic: 'payments',
    database: config.DATABASE_URL,
    consumers: (t, { log }) => [{
      groupId: config.CHARGES_GROUP_ID,
      topics: [t.orders],
      once: CHARGES,
      handlers: chargesHandlers({ topic: t.payments, provider, providerTimeoutMs: config.PROVIDER_TIMEOUT_MS, log }),
    }],
  });
  await app.register(paymentMethodRoutes);
  return app;
}
