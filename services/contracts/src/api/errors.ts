import { Type, type Static } from 'typebox';

/**
 * Error bodies shared by every service and by bff-web: `{statusCode, code, error, message}`, with `code`
 * prefixed by the workspace that raised it (`CART_NOT_FOUND`). bff-mobile answers RFC 9457 problems instead.
 */

export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;

/** A 400 for a form: `fields` maps each invalid field's path (`shippingAddress/postalCode`) to what is wrong with it. */
export const FormError = Type.Intersect([ApiError, Type.Object({ fields: Type.Record(Type.String(), Type.String()) })]);
export type FormError = Static<typeof FormError>;
