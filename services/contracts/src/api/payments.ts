import { Type, type Static } from 'typebox';

/** DTOs of the payments service's HTTP API (port 7105), a simulated card provider. */

/**
 * Test cards: 4000 0000 0000 0002 is declined, 4000 0000 0000 0119 times out at the provider,
 * any other Luhn-valid number is accepted.
 */
export const CardDetails = Type.Object(
  {
    cardNumber: Type.String({ minLength: 12, maxLength: 23, description: 'digits, spaces allowed' }),
    expiry: Type.String({ pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$', description: 'MM/YY' }),
    cvc: Type.String({ pattern: '^[0-9]{3,4}$' }),
  },
  { additionalProperties: false },
);
export type CardDetails = Static<typeof CardDetails>;

/** The card is kept by payments alone; orders and events only ever see this token. */
export const PaymentMethod = Type.Object({
  paymentMethodId: Type.String({ format: 'uuid' }),
  brand: Type.String(),
  last4: Type.String(),
});
export type PaymentMethod = Static<typeof PaymentMethod>;
