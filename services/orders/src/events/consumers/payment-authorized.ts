import { PaymentAuthorizedV1 } from '@shop/contracts/events/payments';
import { onPaymentAuthorized, sagaStep, type SagaContext } from '../../saga.ts';

/** `payment.authorized`: the card is charged; inventory is asked to commit. */
export const paymentAuthorized = (ctx: SagaContext) => sagaStep(ctx, PaymentAuthorizedV1, (db, data) => onPaymentAuthorized(db, ctx, data.orderId));
