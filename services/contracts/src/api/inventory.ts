import { Type, type Static } from 'typebox';
import { Sku } from '../money.ts';

/** DTOs of the inventory service's HTTP API (port 7102). */

export const StockLevel = Type.Object({
  sku: Sku,
  available: Type.Integer({ minimum: 0 }),
  reserved: Type.Integer({ minimum: 0 }),
  version: Type.Integer({ minimum: 0 }),
});
export type StockLevel = Static<typeof StockLevel>;

export const SetStockBody = Type.Object(
  { available: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export type SetStockBody = Static<typeof SetStockBody>;

export const StockBatchQuery = Type.Object({
  sku: Type.Array(Sku, { minItems: 1, maxItems: 100 }),
});
export const StockBatch = Type.Object({ items: Type.Array(StockLevel) });
export type StockBatch = Static<typeof StockBatch>;
