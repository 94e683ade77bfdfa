import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';
import { CartId } from '../api/cart.ts';

/** Subject is the cart id. Carries the count for headers; views fetch the cart itself. */
export const CartEventTypes = { updated: 'cart.updated' } as const;

export const CartUpdatedData = Type.Object({ cartId: CartId, itemCount: Type.Integer(), version: Type.Integer() });
export type CartUpdatedData = Static<typeof CartUpdatedData>;
export const CartUpdated = eventSchema(CartEventTypes.updated, CartUpdatedData);
export const CartUpdatedV1 = eventContract(CartEventTypes.updated, 1, CartUpdatedData);
