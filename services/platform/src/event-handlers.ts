import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent, EventContract } from '@shop/contracts/envelope';
import { applyOnce } from './consume.ts';
import type { DbClient, Pool } from './db.ts';
import { forVersion, type AcceptedVersion } from './event-versions.ts';
import type { KafkaLogger } from './kafka/client.ts';

/** What most handlers need besides the event: the service's own topic (behind the prefix) for answers, and a log. */
export interface HandlerContext {
  topic: string;
  log: KafkaLogger;
}

/**
 * A handler for one version of one event type: the TypeBox schema its `data` must match and the effect.
 * `Tx` is what the dispatcher hands it besides the data: nothing for `dispatch`, the transaction for
 * `dispatchOnce`.
 */
export interface EventHandler<Tx = void> extends AcceptedVersion {
  /** Throws `InvalidEventData` when `data` breaks the schema. */
  check(data: unknown): void;
  run(data: unknown, event: CloudEvent, tx: Tx): Promise<unknown>;
  /** True for an event this handler cannot be about (e.g. an id that is none of ours): skipped like an unknown type. */
  skip?(event: CloudEvent): boolean;
}

/**
 * Handlers keyed by CloudEvent `type` (e.g. `order.placed`): one handler, or one per data schema version
 * the consumer accepts (the current and the previous one while a version is being raised). Types not in
 * the map are skipped.
 */
export type EventHandlers<Tx = void> = Readonly<Record<string, EventHandler<Tx> | readonly EventHandler<Tx>[]>>;

/** Event data that breaks its contract: the consumer retries it, then dead-letters it (it can never succeed). */
export class InvalidEventData extends Error {
  override name = 'InvalidEventData';
}

/**
 * Declares the handler of one version of one event type. Takes that version's contract (e.g.
 * `StockChangedV1` from `services/contracts`) and the effect, which gets the data typed by the
 * contract's schema, the whole envelope and the dispatcher's `Tx`.
 */
export function handler<C extends EventContract, Tx = void>(
  contract: C,
  run: (data: Static<C['data']>, event: CloudEvent, tx: Tx) => Promise<unknown>,
  { skip }: Pick<EventHandler<Tx>, 'skip'> = {},
): EventHandler<Tx> {
  const validator = Compile(contract.data);
  return {
    type: contract.type,
    version: contract.version,
    skip,
    check(data) {
      if (validator.Check(data)) return;
      const first = validator.Errors(data)[0];
      throw new InvalidEventData(`event data is invalid: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}`);
    },
    run: (data, event, tx) => run(data as Static<C['data']>, event, tx),
  };
}

/**
 * Runs the handler of `event.type` and of its data schema version (`dataschema`) on its checked data;
 * resolves without effect for a type not in the map. Throws `UnsupportedEventVersion` for a version no
 * handler accepts, `InvalidEventData` for data that breaks the schema, and whatever the handler throws.
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
  const entry = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
  if (!entry) return undefined;
  const h = forVersion(event, versionsOf(entry));
  return h.skip?.(event) ? undefined : h;
}

const versionsOf = <Tx>(entry: EventHandler<Tx> | readonly EventHandler<Tx>[]): readonly EventHandler<Tx>[] =>
  Array.isArray(entry) ? entry : [entry as EventHandler<Tx>];

/**
 * The event types and data schema versions `handlers` accept, for the contracts check. Throws when a
 * handler sits under another type's key, or two handlers of one type claim the same version.
 */
export function acceptedVersions<Tx>(handlers: EventHandlers<Tx>): AcceptedVersion[] {
  return Object.entries(handlers).flatMap(([type, entry]) => {
    const list = versionsOf(entry);
    for (const h of list) if (h.type !== type) throw new Error(`the handler of ${h.type} version ${h.version} is registered under ${type}`);
    const versions = list.map((h) => h.version);
    if (new Set(versions).size !== versions.length) throw new Error(`${type} has two handlers for one version (${versions.join(', ')})`);
    return list.map(({ version }) => ({ type, version }));
  });
}
