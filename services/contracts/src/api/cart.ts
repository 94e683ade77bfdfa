import { Type, type Static } from 'typebox';
import { Money, Sku } from '../money.ts';

/** DTOs of the cart service's HTTP API (port 7103). */

/** `guest-<uuid>` for a shopper who has not signed in, `user-<uuid>` for an account's cart. */
export const CartId = Type.String({ pattern: '^(guest|user)-[0-9a-f-]{36}$' });
export type CartId = Static<typeof CartId>;

export const CartLine = Type.Object({
  sku: Sku,
  name: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: Money,
  lineTotal: Money,
});
export type CartLine = Static<typeof CartLine>;

export const Cart = Type.Object({
  id: CartId,
  lines: Type.Array(CartLine),
  total: Money,
  /** Units across all lines: what the header's `Cart (N)` shows. */
  itemCount: Type.Integer(),
  version: Type.Integer(),
});
export type Cart = Static<typeof Cart>;

/** Quantity 0 removes the line. A quantity above what is in stock is refused (409, naming what is left). */
export const SetLineBody = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: 99 }) },
  { additionalProperties: false },
);
export type SetLineBody = Static<typeof SetLineBody>;

/** Moves the lines of `from` into this cart: quantities add up, capped by stock; `from` is emptied. */
export const MergeBody = Type.Object({ from: CartId }, { additionalProperties: false });
export type MergeBody = Static<typeof MergeBody>;
