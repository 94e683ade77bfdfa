import type { EventContract } from '@shop/contracts/envelope';

/** A JSON Schema document as stored in the released snapshot. */
export type JsonSchema = { [keyword: string]: unknown };

/** The JSON Schema dialect the released files declare (TypeBox writes draft 2020-12 compatible schemas). */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The released JSON Schema of one contract's `data`: the TypeBox schema as plain JSON (TypeBox schemas are
 * JSON Schema), with `$id` set to the contract's `dataschema` URI, so the file is what an event's
 * `dataschema` names, and `title` to the event type and version.
 */
export function releasedSchema(contract: EventContract): JsonSchema {
  const data = JSON.parse(JSON.stringify(contract.data)) as JsonSchema;
  return { $schema: JSON_SCHEMA_DIALECT, $id: contract.dataschema, title: `${contract.type} version ${contract.version}`, ...data };
}
