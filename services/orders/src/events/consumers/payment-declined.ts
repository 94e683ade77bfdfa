import { PaymentDeclinedV1 } from '@shop/contracts/events/payments';
import { onPaymentDeclined, sagaStep, type SagaContext } from '../../saga.ts';

/** `payment.declined`: no charge; the order is cancelled and its stock released. */
export const paymentDeclined = (ctx: SagaContext) => sagaStep(ctx, PaymentDeclinedV1, (db, data) => onPaymentDeclined(db, ctx, data));
