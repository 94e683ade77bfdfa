import { Compile } from 'typebox/compile';
import { PaymentMethod, type CardDetails } from '@shop/contracts/api/payments';
import { joinUrl, pingService, sendJson, type Downstream } from './downstream.ts';

const SERVICE = 'payments';

/** The payments service's API (port 7105) as the BFFs use it: a card becomes a token that orders and events carry instead. */
export interface PaymentsClient {
  /** A 4xx (a card number that fails its check, an expired card) throws a DownstreamError with the service's code and message. */
  createPaymentMethod(card: CardDetails, signal?: AbortSignal): Promise<PaymentMethod>;
  ping(signal?: AbortSignal): Promise<void>;
}

const isPaymentMethod = Compile(PaymentMethod);

export function httpPaymentsClient(baseUrl: string): PaymentsClient {
  return {
    createPaymentMethod: (card, signal) =>
      sendJson(SERVICE, joinUrl(baseUrl, '/payment-methods'), { method: 'POST', body: card, signal, schema: isPaymentMethod }),
    ping: (signal) => pingService(SERVICE, baseUrl, signal),
  };
}

/** The same client with every call within the downstream's budget and behind its circuit breaker. */
export const guardPayments = (client: PaymentsClient, guard: Downstream): PaymentsClient => ({
  createPaymentMethod: (card) => guard.call((signal) => client.createPaymentMethod(card, signal)),
  ping: () => guard.call((signal) => client.ping(signal)),
});
