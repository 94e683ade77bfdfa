import { useMutation } from '@tanstack/react-query';
import type { CheckoutBody } from '@shop/contracts/api/checkout';
import type { OrderStatus } from '@shop/contracts/api/orders';
import { api, isRetryable } from '../../../lib/api-client.ts';

/** What `POST /checkout` answers (202): the order exists and its saga has started. */
export interface CheckoutAccepted {
  orderId: string;
  status: OrderStatus;
}

/**
 * `POST /checkout` (signed in, else 401 `WEB_SIGN_IN_REQUIRED`). 400 is a FormError naming each
 * invalid field; 409 `WEB_CART_EMPTY`. The same `Idempotency-Key` returns the same order.
 */
export function placeOrder(body: CheckoutBody, idempotencyKey: string): Promise<CheckoutAccepted> {
  return api.send<CheckoutAccepted>('POST', '/checkout', body, { headers: { 'idempotency-key': idempotencyKey } });
}

export function usePlaceOrder() {
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CheckoutBody; idempotencyKey: string }) => placeOrder(body, idempotencyKey),
    // Retried with the same key, so a lost answer cannot become a second order.
    retry: (failures, error) => isRetryable(error) && failures < 2,
  });
}
