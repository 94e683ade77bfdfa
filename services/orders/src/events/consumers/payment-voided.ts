import { PaymentVoidedV1 } from '@shop/contracts/events/payments';
import { onPaymentVoided, sagaStep, type SagaContext } from '../../saga.ts';

/** `payment.voided`: a late charge was undone; the order's timeline records it. */
export const paymentVoided = (ctx: SagaContext) => sagaStep(ctx, PaymentVoidedV1, (db, data) => onPaymentVoided(db, ctx, data));
