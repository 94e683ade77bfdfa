import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { invalidForm } from '../errors.ts';

/** Field path (`shippingAddress/postalCode`) → what the form shows under that field. */
export type FieldMessages = Readonly<Record<string, string>>;

interface ObjectSchema {
  type?: unknown;
  properties?: Record<string, TSchema>;
  required?: string[];
  additionalProperties?: unknown;
}

const validators = new WeakMap<TSchema, Validator>();
function validator(schema: TSchema): Validator {
  let check = validators.get(schema);
  if (!check) validators.set(schema, (check = Compile(schema)));
  return check;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every invalid field of a form body, one message each. Nested objects are walked, so a form gets a
 * message under each field at once rather than the first problem only (what a validator reports).
 */
export function fieldErrors(schema: TSchema, value: unknown, messages: FieldMessages = {}, path = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const node = schema as ObjectSchema;
  if (node.type === 'object' && node.properties) {
    if (!isRecord(value)) {
      out[path || 'body'] = path ? (messages[path] ?? 'must be an object') : 'The form must be sent as a JSON object';
      return out;
    }
    for (const [key, sub] of Object.entries(node.properties)) {
      const at = path ? `${path}/${key}` : key;
      if (value[key] === undefined) {
        if (node.required?.includes(key)) out[at] = messages[at] ?? 'is required';
      } else Object.assign(out, fieldErrors(sub, value[key], messages, at));
    }
    if (node.additionalProperties === false)
      for (const key of Object.keys(value)) if (!(key in node.properties)) out[path ? `${path}/${key}` : key] = 'is not a field of this form';
    return out;
  }
  const check = validator(schema);
  if (!check.Check(value)) out[path] = messages[path] ?? check.Errors(value)[0]?.message ?? 'is not valid';
  return out;
}

/**
 * A route's validator compiler: each part (body, headers, params) is checked field by field and refused
 * with a FormError (`WEB_INVALID_FORM`) whose `fields` lists every invalid field, so the form can show
 * a message under each.
 */
export const formValidatorCompiler =
  (messages: FieldMessages): FastifySchemaCompiler<TSchema> =>
  ({ schema }) =>
  (data: unknown) => {
    const fields = fieldErrors(schema, data, messages);
    return Object.keys(fields).length > 0 ? { error: invalidForm(fields) } : { value: data };
  };
