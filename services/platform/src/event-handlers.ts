import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { applyOnce } from './consume.ts';
import type { DbClient, Pool } from './db.ts';
import type { KafkaLogger } from './kafka/client.ts';

/** What most handlers need besides the event: the service's own topic (behind the prefix) for answers, and a log. */
export interface HandlerContext {
  topic: string;
  log: KafkaLogger;
}

/**
 * A handler for one event type: the TypeBox schema its `data` must match and the effect. `Tx` is what
 * the dispatcher hands it besides the data: nothing for `dispatch`, the transaction for `dispatchOnce`.
 */
export interface EventHandler<Tx = void> {
  /** Throws `InvalidEventData` when `data` breaks the schema. */
  check(data: unknown): void;
  run(data: unknown, event: CloudEvent, tx: Tx): Promise<unknown>;
  /** True for an event this handler cannot be about (e.g. an id that is none of ours): skipped like an unknown type. */
  skip?(event: CloudEvent): boolean;
}

/** Handlers keyed by CloudEvent `type` (e.g. `order.placed`); types not in the map are skipped. */
export type EventHandlers<Tx = void> = Readonly<Record<string, EventHandler<Tx>>>;

/** Event data that breaks its contract: the consumer retries it, then dead-letters it (it can never succeed). */
export class InvalidEventData extends Error {
  override name = 'InvalidEventData';
}

/**
 * Declares the handler of one event type. Takes the data schema (from `services/contracts`) and the
 * effect, which gets the data typed by that schema, the whole envelope and the dispatcher's `Tx`.
 */
export function handler<S extends TSchema, Tx = void>(
  schema: S,
  run: (data: Static<S>, event: CloudEvent, tx: Tx) => Promise<unknown>,
  { skip }: Pick<EventHandler<Tx>, 'skip'> = {},
): EventHandler<Tx> {
  const validator = Compile(schema);
  return {
    skip,
    check(data) {
      if (validator.Check(data)) return;
      const first = validator.Errors(data)[0];
      throw new InvalidEventData(`event data is invalid: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}`);
    },
    run: (data, event, tx) => run(data as Static<S>, event, tx),
  };
}

/**
 * Runs the handler of `event.type` on its checked data; resolves without effect for a type not in the
 * map. Throws `InvalidEventData` for data that breaks the schema, and whatever the handler throws.
 * For handlers that are idempotent by themselves (a version guard, a marker in the same store write).
 */
export async function dispatch(handlers: EventHandlers, event: CloudEvent): Promise<void> {
  const h = relevant(handlers, event);
  if (!h) return;
  h.check(event.data);
  await h.run(event.data, event, undefined);
}

/**
 * `dispatch` for PostgreSQL services, at most once per event: the handler runs inside `applyOnce`
 * (its processed-event record under `consumer` commits in the same transaction as the effect), so a
 * redelivered event is skipped. The data is checked before the transaction opens.
 */
export async function dispatchOnce(pool: Pool, consumer: string, handlers: EventHandlers<DbClient>, event: CloudEvent): Promise<void> {
  const h = relevant(handlers, event);
  if (!h) return;
  h.check(event.data);
  await applyOnce(pool, consumer, event.id, (db) => h.run(event.data, event, db).then(() => undefined));
}

function relevant<Tx>(handlers: EventHandlers<Tx>, event: CloudEvent): EventHandler<Tx> | undefined {
  const h = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
  return h && !h.skip?.(event) ? h : undefined;
}
