import { DATA_SCHEMA_URN_PREFIX, type CloudEvent, type EventContract } from '@shop/contracts/envelope';
import { EventContracts } from '@shop/contracts/events/registry';

/**
 * An event of a type this consumer handles but in a data schema version it does not accept, or whose
 * `dataschema` names no version of its type. It can never succeed here: the consumer dead-letters it
 * (after its bounded retries), with this message naming the version and the versions accepted.
 */
export class UnsupportedEventVersion extends Error {
  override name = 'UnsupportedEventVersion';
}

/** One event type and data schema version a consumer accepts. */
export interface AcceptedVersion {
  type: string;
  version: number;
}

/**
 * The data schema version an event carries in its CloudEvents `dataschema`
 * (`urn:shop:schema:<type>:<version>`, see `dataSchemaUri` in contracts); 1 when it carries none, as
 * events written before versions were carried do. Throws `UnsupportedEventVersion` for a `dataschema`
 * that names no version of the event's own type.
 */
export function eventVersion(event: Pick<CloudEvent, 'type' | 'dataschema'>): number {
  if (event.dataschema === undefined) return 1;
  const prefix = `${DATA_SCHEMA_URN_PREFIX}${event.type}:`;
  const version = event.dataschema.startsWith(prefix) ? event.dataschema.slice(prefix.length) : '';
  if (!/^[1-9]\d{0,8}$/.test(version)) {
    throw new UnsupportedEventVersion(`${event.type}: dataschema ${event.dataschema} names no version of this type (expected ${prefix}<version>)`);
  }
  return Number(version);
}

/**
 * Of the `candidates` for one event type (handlers, routes: anything with a `version`), the one for the
 * event's data schema version. Throws `UnsupportedEventVersion` naming the event's version and the
 * versions the candidates accept.
 */
export function forVersion<T extends { version: number }>(event: Pick<CloudEvent, 'type' | 'dataschema' | 'id'>, candidates: readonly T[]): T {
  const version = eventVersion(event);
  const found = candidates.find((c) => c.version === version);
  if (found) return found;
  const accepted = candidates.map((c) => c.version).sort((a, b) => a - b).join(', ');
  throw new UnsupportedEventVersion(`${event.type} ${event.id}: data schema version ${version} is not accepted here (accepts version ${accepted})`);
}

/**
 * The contract producers write for `type`: the highest version of it in `contracts` (the registry in
 * `@shop/contracts/events/registry` by default); undefined for a type not in it.
 */
export function currentContract(type: string, contracts: readonly EventContract[] = EventContracts): EventContract | undefined {
  let current: EventContract | undefined;
  for (const c of contracts) if (c.type === type && (!current || c.version > current.version)) current = c;
  return current;
}
