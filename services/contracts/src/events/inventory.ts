import { Type, type Static } from 'typebox';
import { eventSchema } from '../envelope.ts';
import { Sku } from '../money.ts';

export const InventoryEventTypes = { stockChanged: 'inventory.stock.changed' } as const;

export const StockChangedData = Type.Object({
  sku: Sku,
  available: Type.Integer({ minimum: 0 }),
  reserved: Type.Integer({ minimum: 0 }),
  version: Type.Integer({ minimum: 1 }),
});
export type StockChangedData = Static<typeof StockChangedData>;

export const StockChanged = eventSchema(InventoryEventTypes.stockChanged, StockChangedData);
export type StockChanged = Static<typeof StockChanged>;
