import { Type } from 'typebox';

const CustomerId = Type.String({ minLength: 1, maxLength: 80 });

export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Orders are the customer's own: every read names the customer, and another's order is a 404. */
export const CustomerQuery = Type.Object({ customerId: CustomerId });

export const OrderListQuery = Type.Object({
  customerId: CustomerId,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
