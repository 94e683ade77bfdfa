import fp from 'fastify-plugin';
import { Compile } from 'typebox/compile';
import { PaymentMethod, type CardDetails } from '@shop/contracts/api/payments';
import { DownstreamError, sendJson } from '@shop/platform/clients/downstream';
import { joinUrl, registerDownstream, type DownstreamPolicy } from '../lib/downstream-plugin.ts';

const SERVICE = 'payments';

/** The payments service's API as bff-web uses it: a card becomes a token that orders and events carry instead. */
export interface PaymentsClient {
  /** A 400 (a card number that fails its check, an expired card) throws a DownstreamError naming the field. */
  createPaymentMethod(card: CardDetails, signal?: AbortSignal): Promise<PaymentMethod>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isPaymentMethod = Compile(PaymentMethod);

export function httpPaymentsClient(baseUrl: string): PaymentsClient {
  return {
    createPaymentMethod: (card, signal) =>
      sendJson(SERVICE, joinUrl(baseUrl, '/payment-methods'), { method: 'POST', body: card, signal, schema: isPaymentMethod }),
    async ping(signal) {
      const res = await fetch(joinUrl(baseUrl, '/health'), { signal });
      await res.body?.cancel();
      if (!res.ok) throw new DownstreamError(SERVICE, res.status, `${SERVICE} /health answered ${res.status}`);
    },
  };
}

export interface PaymentsClientOptions extends DownstreamPolicy {
  baseUrl: string;
  /** Replaces the HTTP client (tests); the budget and circuit breaker still apply. */
  client?: PaymentsClient;
}

/** `app.payments`: the payments client, every call within the budget and behind the service's circuit breaker. */
export const paymentsClientPlugin = fp<PaymentsClientOptions>(
  async (app, { baseUrl, client = httpPaymentsClient(baseUrl), ...policy }) => {
    const guard = registerDownstream(app, SERVICE, policy);
    const guarded: PaymentsClient = {
      createPaymentMethod: (card) => guard.call((signal) => client.createPaymentMethod(card, signal)),
      ping: () => guard.call((signal) => client.ping(signal)),
    };
    app.decorate('payments', guarded);
    app.downstreams.set(SERVICE, { circuit: guard.circuit, ping: guarded.ping });
  },
  { name: 'payments-client' },
);

declare module 'fastify' {
  interface FastifyInstance {
    payments: PaymentsClient;
  }
}
