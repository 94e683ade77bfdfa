import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';
import { Sku } from '../money.ts';

export const InventoryEventTypes = {
  stockChanged: 'inventory.stock.changed',
  /** Answers to the checkout saga's `order.placed`; subject is the order id. */
  stockReserved: 'inventory.stock.reserved',
  reservationRejected: 'inventory.reservation.rejected',
  /** Answer to `order.cancelled` for an order whose stock was reserved. */
  stockReleased: 'inventory.stock.released',
  /** Answer to `order.confirmed`: the reservation became a sale. */
  stockCommitted: 'inventory.stock.committed',
} as const;

export const StockChangedData = Type.Object({
  sku: Sku,
  available: Type.Integer({ minimum: 0 }),
  reserved: Type.Integer({ minimum: 0 }),
  version: Type.Integer({ minimum: 1 }),
});
export type StockChangedData = Static<typeof StockChangedData>;

export const StockChanged = eventSchema(InventoryEventTypes.stockChanged, StockChangedData);
export const StockChangedV1 = eventContract(InventoryEventTypes.stockChanged, 1, StockChangedData);
export type StockChanged = Static<typeof StockChanged>;

export const ReservationLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) });

export const StockReservedData = Type.Object({ orderId: Type.String(), lines: Type.Array(ReservationLine) });
export type StockReservedData = Static<typeof StockReservedData>;
export const StockReserved = eventSchema(InventoryEventTypes.stockReserved, StockReservedData);
export const StockReservedV1 = eventContract(InventoryEventTypes.stockReserved, 1, StockReservedData);

export const ReservationRejectedData = Type.Object({
  orderId: Type.String(),
  shortages: Type.Array(Type.Object({ sku: Sku, requested: Type.Integer(), available: Type.Integer() })),
});
export type ReservationRejectedData = Static<typeof ReservationRejectedData>;
export const ReservationRejected = eventSchema(InventoryEventTypes.reservationRejected, ReservationRejectedData);
export const ReservationRejectedV1 = eventContract(InventoryEventTypes.reservationRejected, 1, ReservationRejectedData);

export const StockReleasedData = Type.Object({ orderId: Type.String(), lines: Type.Array(ReservationLine) });
export type StockReleasedData = Static<typeof StockReleasedData>;
export const StockReleased = eventSchema(InventoryEventTypes.stockReleased, StockReleasedData);
export const StockReleasedV1 = eventContract(InventoryEventTypes.stockReleased, 1, StockReleasedData);

export const StockCommittedData = Type.Object({ orderId: Type.String(), lines: Type.Array(ReservationLine) });
export type StockCommittedData = Static<typeof StockCommittedData>;
export const StockCommitted = eventSchema(InventoryEventTypes.stockCommitted, StockCommittedData);
export const StockCommittedV1 = eventContract(InventoryEventTypes.stockCommitted, 1, StockCommittedData);
