import type { Money } from '@shop/contracts/money';
import type { Outcome } from './card.ts';

export interface AuthorizeRequest {
  /**
   * The provider's idempotency key, derived from the order (`chargeKey`): asking again for the same
   * order, after a crash or a redelivery, never charges twice.
   */
  idempotencyKey: string;
  paymentId: string;
  orderId: string;
  amount: Money;
  outcome: Outcome;
}

export interface VoidRequest {
  /** Derived from the order (`voidKey`), so a void asked again is one void. */
  idempotencyKey: string;
  /** The key the authorization was made under: what is voided. */
  authorizationKey: string;
  paymentId: string;
  orderId: string;
}

export type ProviderAnswer = 'authorized' | 'declined';

/** A card provider's calls; a real one would be an HTTPS client that sends `idempotencyKey` as its header. */
export interface CardProvider {
  authorize(request: AuthorizeRequest, signal: AbortSignal): Promise<ProviderAnswer>;
  /** Releases an authorization, so no money stays taken. Resolves once done; throws when it is not. */
  void(request: VoidRequest, signal: AbortSignal): Promise<void>;
}

/** One authorization per order, whatever the attempt: the provider's idempotency key for the charge. */
export const chargeKey = (orderId: string) => `order-${orderId}-charge`;
/** One void per order. */
export const voidKey = (orderId: string) => `order-${orderId}-void`;

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
  void: () => Promise.resolve(),
};

/**
 * Runs `call` with an abort signal that fires after `timeoutMs`; resolves `timeout` if it fired. The
 * budget holds even for a call that ignores its signal.
 */
async function within<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T | 'timeout'> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`provider gave no answer in ${timeoutMs} ms`));
      resolve('timeout');
    }, timeoutMs);
  });
  const answered = call(controller.signal).catch((err: unknown) => {
    if (controller.signal.aborted) return 'timeout' as const;
    throw err;
  });
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The provider's answer, or `timeout` when it gives none within `timeoutMs`. */
export const authorizeWithin = (provider: CardProvider, request: AuthorizeRequest, timeoutMs: number) =>
  within(timeoutMs, (signal) => provider.authorize(request, signal));

/**
 * Voids within `timeoutMs`. Throws when the provider fails or does not answer in time, so the
 * consumer retries the cancellation (the void's key makes a repeat harmless). A provider that does
 * not answer is an outage (code `ETIMEDOUT`): the consumer waits it out rather than dead-lettering
 * the cancellation, which would leave the money taken.
 */
export async function voidWithin(provider: CardProvider, request: VoidRequest, timeoutMs: number): Promise<void> {
  if ((await within(timeoutMs, (signal) => provider.void(request, signal))) === 'timeout') {
    const err = new Error(`provider did not confirm the void of payment ${request.paymentId} in ${timeoutMs} ms`);
    throw Object.assign(err, { code: 'ETIMEDOUT' });
  }
}
