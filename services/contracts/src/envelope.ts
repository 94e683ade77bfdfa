import { Type, type Static, type TSchema } from 'typebox';

/**
 * CloudEvents 1.0 structured JSON. `subject` is the aggregate id and the Kafka message key;
 * `data.version` is the aggregate's version so consumers can drop stale updates.
 */
export const CloudEventBase = {
  specversion: Type.Literal('1.0'),
  id: Type.String({ format: 'uuid' }),
  source: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  subject: Type.String({ minLength: 1 }),
  time: Type.String({ format: 'date-time' }),
  datacontenttype: Type.Optional(Type.Literal('application/json')),
  traceparent: Type.Optional(Type.String()),
};

export const CloudEvent = Type.Object({ ...CloudEventBase, data: Type.Unknown() });
export type CloudEvent<D = unknown> = Omit<Static<typeof CloudEvent>, 'data'> & { data: D };

/** Schema of one event type: the envelope with its `type` fixed and its `data` shaped. */
export const eventSchema = <T extends string, D extends TSchema>(type: T, data: D) =>
  Type.Object({ ...CloudEventBase, type: Type.Literal(type), data });
