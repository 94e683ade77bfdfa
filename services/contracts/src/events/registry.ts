import type { EventContract } from '../envelope.ts';
import { CartUpdatedV1 } from './cart.ts';
import { PriceChangedV1, ProductUpsertedV1 } from './catalog.ts';
import { UserRegisteredV1 } from './identity.ts';
import {
  ReservationRejectedV1, StockChangedV1, StockCommittedV1, StockReleasedV1, StockReservedV1,
} from './inventory.ts';
import {
  OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1, OrderStatusChangedV1, PaymentRequestedV1,
} from './orders.ts';
import { PaymentAuthorizedV1, PaymentDeclinedV1, PaymentVoidedV1 } from './payments.ts';

/**
 * Every version of every event type in circulation: the current one (the highest, which producers
 * write) and, while a version is being raised, the previous one, which every consumer of the type
 * still accepts until the events written under it are gone. `npm run contracts -- check` compares
 * these with the released snapshot (`schemas/released/`) and with what the consumers accept.
 */
export const EventContracts: readonly EventContract[] = [
  PriceChangedV1,
  ProductUpsertedV1,
  StockChangedV1,
  StockReservedV1,
  ReservationRejectedV1,
  StockReleasedV1,
  StockCommittedV1,
  CartUpdatedV1,
  OrderPlacedV1,
  PaymentRequestedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  OrderStatusChangedV1,
  PaymentAuthorizedV1,
  PaymentDeclinedV1,
  PaymentVoidedV1,
  UserRegisteredV1,
];
