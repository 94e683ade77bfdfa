import { ReservationRejectedV1 } from '@shop/contracts/events/inventory';
import { onReservationRejected, sagaStep, type SagaContext } from '../../saga.ts';

/** `inventory.reservation.rejected`: not enough stock; the order is rejected, naming what was short. */
export const reservationRejected = (ctx: SagaContext) => sagaStep(ctx, ReservationRejectedV1, (db, data) => onReservationRejected(db, ctx, data));
