import { Type, type Static, type TSchema } from 'typebox';

/**
 * Answers refer to named schemas (`$id`) instead of repeating them: the app adds each once
 * (`app.addSchema`), the serialiser resolves the references, and the OpenAPI document lists them under
 * `components/schemas`, so the generated client has a type per name (`components['schemas']['Order']`).
 * Request schemas stay inline: they are validated by TypeBox, which resolves no references.
 */
export const ref = <T extends TSchema & { $id?: string }>(schema: T, description?: string) =>
  Type.Unsafe<Static<T>>({ $ref: `${schema.$id}#`, ...(description ? { description } : {}) });
