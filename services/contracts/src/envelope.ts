import { Type, type Static, type TSchema } from 'typebox';

/**
 * CloudEvents 1.0 structured JSON. `subject` is the aggregate id and the Kafka message key;
 * `data.version` is the aggregate's version so consumers can drop stale updates. `dataschema` names the
 * version of the data's schema (see `dataSchemaUri`); an event without one is version 1, as every event
 * was before versions were carried.
 */
export const CloudEventBase = {
  specversion: Type.Literal('1.0'),
  id: Type.String({ format: 'uuid' }),
  source: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  subject: Type.String({ minLength: 1 }),
  time: Type.String({ format: 'date-time' }),
  datacontenttype: Type.Optional(Type.Literal('application/json')),
  /** CloudEvents 1.0 types `dataschema` as URI: an absolute URI (RFC 3986 section 4.3), so no relative path. */
  dataschema: Type.Optional(Type.String({ format: 'uri' })),
  traceparent: Type.Optional(Type.String()),
};

export const CloudEvent = Type.Object({ ...CloudEventBase, data: Type.Unknown() });
export type CloudEvent<D = unknown> = Omit<Static<typeof CloudEvent>, 'data'> & { data: D };

/** Schema of one event type: the envelope with its `type` fixed and its `data` shaped. */
export const eventSchema = <T extends string, D extends TSchema>(type: T, data: D) =>
  Type.Object({ ...CloudEventBase, type: Type.Literal(type), data });

/** Scheme and namespace of the URIs that name the versions of the event data schemas. */
export const DATA_SCHEMA_URN_PREFIX = 'urn:shop:schema:';

/**
 * The CloudEvents `dataschema` of one version of one event type's data, e.g.
 * `urn:shop:schema:inventory.stock.changed:1`: an absolute URI, as CloudEvents 1.0 requires, that stays
 * the same wherever the event travels. The JSON Schema it names is released as
 * `services/contracts/schemas/released/<type>/<version>.json`, whose `$id` is this URI.
 */
export const dataSchemaUri = (type: string, version: number): string => `${DATA_SCHEMA_URN_PREFIX}${type}:${version}`;

/**
 * One version of one event type's contract: the type, the data schema's version (a positive integer,
 * raised on every change its consumers cannot take), the `dataschema` URI naming it and the TypeBox
 * schema of `data`. Not the aggregate's `data.version`, which counts changes to one aggregate.
 */
export interface EventContract<T extends string = string, D extends TSchema = TSchema> {
  type: T;
  version: number;
  dataschema: string;
  data: D;
}

/** Declares version `version` of the data of event type `type`. */
export const eventContract = <T extends string, D extends TSchema>(type: T, version: number, data: D): EventContract<T, D> => ({
  type, version, dataschema: dataSchemaUri(type, version), data,
});
