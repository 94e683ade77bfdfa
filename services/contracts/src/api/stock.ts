import { Type, type Static } from 'typebox';

/** How a shopper sees a product's stock, the same on every client (web tiles, mobile apps, live updates). */

export const StockStatus = Type.Union([Type.Literal('in_stock'), Type.Literal('low'), Type.Literal('out')]);
export type StockStatus = Static<typeof StockStatus>;

/** At or below this many units a product is `low` (a tile says `Only N left`). */
export const LOW_STOCK_THRESHOLD = 5;
