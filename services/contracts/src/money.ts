import { Type, type Static } from 'typebox';

/** Money is always integer minor units plus an ISO 4217 currency. */
export const Money = Type.Object({
  amount: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  currency: Type.Literal('EUR'),
});
export type Money = Static<typeof Money>;

export const Sku = Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$', description: 'stock keeping unit, e.g. KIT-0001' });
