import fp from 'fastify-plugin';
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Validates requests with TypeBox's compiler instead of Fastify's ajv (which stops at the first error):
 * an app gets every invalid field of a form in one answer. Query, path and header values arrive as
 * strings and are converted and defaulted first; bodies are checked as sent (no coercion, no stripping:
 * an unexpected property is an error, not something silently dropped).
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const integers = integerFields(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Default(schema, keepNonIntegers(integers, input, Value.Convert(schema, Value.Clone(input))));
    if (check.Check(value)) return { value };
    return { error: check.Errors(value) as never };
  };
};

/** The names of a query's, path's or header's integer fields (flat objects, as those parts are). */
const integerFields = (schema: TSchema): string[] =>
  Object.entries((schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {})
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name);

const WHOLE_NUMBER = /^\s*[+-]?\d+\s*$/;

/**
 * TypeBox's Convert truncates a text like `1.5` to the integer 1: such a field gets its text back, so the
 * check refuses it (`?limit=1.5` is a 400 naming `limit`, as `?limit=abc` is), rather than answering
 * something the app did not ask for.
 */
function keepNonIntegers(integers: string[], input: unknown, converted: unknown): unknown {
  if (integers.length === 0 || typeof input !== 'object' || input === null || typeof converted !== 'object' || converted === null) return converted;
  for (const name of integers) {
    const sent = (input as Record<string, unknown>)[name];
    if (typeof sent === 'string' && !WHOLE_NUMBER.test(sent)) (converted as Record<string, unknown>)[name] = sent;
  }
  return converted;
}

export const validationPlugin = fp(
  async (app) => {
    app.setValidatorCompiler(typeboxValidatorCompiler);
    // `?query=&category=` is what a form with empty fields sends: an empty parameter is an absent one.
    app.addHook('preValidation', async (req) => {
      const query = req.query as Record<string, unknown> | undefined;
      if (query) for (const [name, value] of Object.entries(query)) if (value === '') delete query[name];
    });
  },
  { name: 'mobile-validation' },
);
