import type { Money } from '@shop/contracts/money';
import type { Outcome } from './card.ts';

export interface AuthorizeRequest {
  /** The provider's idempotency key: asking again for the same payment never charges twice. */
  paymentId: string;
  orderId: string;
  amount: Money;
  outcome: Outcome;
}

export type ProviderAnswer = 'authorized' | 'declined';

/** A card provider's authorisation call; a real one would be an HTTPS client. */
export interface CardProvider {
  authorize(request: AuthorizeRequest, signal: AbortSignal): Promise<ProviderAnswer>;
}

/** Answers as the test card says; the `timeout` card never answers, so only the caller's deadline ends the wait. */
export const simulatedProvider: CardProvider = {
  authorize({ outcome }, signal) {
    if (outcome === 'approve') return Promise.resolve('authorized');
    if (outcome === 'decline') return Promise.resolve('declined');
    return new Promise((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  },
};

/** The provider's answer, or `timeout` when it gives none within `timeoutMs`. */
export async function authorizeWithin(provider: CardProvider, request: AuthorizeRequest, timeoutMs: number): Promise<ProviderAnswer | 'timeout'> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`provider gave no answer in ${timeoutMs} ms`)), timeoutMs);
  try {
    return await provider.authorize(request, controller.signal);
  } catch (err) {
    if (controller.signal.aborted) return 'timeout';
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
