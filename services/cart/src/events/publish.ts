import { CartEventTypes, type CartUpdatedData } from '@shop/contracts/events/cart';
import { createEvent } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

/**
 * The `cart.updated` envelope as JSON, for a cart script to complete: only the script knows the
 * new item count and version, and it appends the event to the outbox in the same atomic step as the change.
 */
export function cartUpdatedEnvelope(cartId: string): string {
  const data: CartUpdatedData = { cartId, itemCount: 0, version: 0 };
  return JSON.stringify(createEvent(SERVICE_NAME, { type: CartEventTypes.updated, subject: cartId, data }));
}
