import { guardPayments, httpPaymentsClient, type PaymentsClient } from '@shop/platform/clients/payments';
import { clientPlugin } from '../lib/downstream-plugin.ts';

/** `app.payments`: the payments service's client, every call within the budget and behind the service's circuit breaker. */
export const paymentsClientPlugin = clientPlugin('payments', httpPaymentsClient, guardPayments);

declare module 'fastify' {
  interface FastifyInstance {
    payments: PaymentsClient;
  }
}
