import { PaymentRequestedV1 } from '@shop/contracts/events/orders';
import type { DbClient } from '@shop/platform/db';
import { handler } from '@shop/platform/event-handlers';
import { charge, type ChargesContext } from '../../charges.ts';

/** `order.payment.requested`: charge the order's card once and answer `payment.authorized` or `payment.declined`. */
export const paymentRequested = (ctx: ChargesContext) =>
  handler(PaymentRequestedV1, (data, _event, db: DbClient) => charge(db, data, ctx));
