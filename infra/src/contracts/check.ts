import type { EventContract } from '@shop/contracts/envelope';
import type { AcceptedVersion } from '@shop/platform/event-versions';
import { compareSchemas } from './compare.ts';
import { releasedSchema, type JsonSchema } from './json-schema.ts';

/** What one consumer (a consumer group's handlers, a live hub) accepts, by event type and data schema version. */
export interface ConsumerDeclaration {
  name: string;
  accepts: readonly AcceptedVersion[];
}

/** The released snapshot: type → version → that version's JSON Schema. */
export type ReleasedSchemas = ReadonlyMap<string, ReadonlyMap<number, JsonSchema>>;

export interface CheckResult {
  /** Each names the event type (and version, field or consumer); any one fails the check. */
  problems: string[];
  /** Changes that pass: optional fields added, versions and types not released yet. */
  notes: string[];
}

const versionsOf = (contracts: readonly EventContract[], type: string) =>
  contracts.filter((c) => c.type === type).map((c) => c.version).sort((a, b) => a - b);

/**
 * Compares the contracts in circulation with the released snapshot and with what the consumers accept.
 * Fails (a problem each) on: a breaking change to a released version (see `compareSchemas`); a released
 * type no longer in the contracts; a version lower than the last released one; a raised version whose
 * previous (last released) version is no longer in the contracts; a consumer that does not accept every
 * version in circulation of a type it handles, or accepts one that is not in circulation.
 */
export function checkContracts(contracts: readonly EventContract[], released: ReleasedSchemas, consumers: readonly ConsumerDeclaration[]): CheckResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const types = [...new Set(contracts.map((c) => c.type))].sort();

  for (const c of contracts) {
    if (contracts.some((o) => o !== c && o.type === c.type && o.version === c.version)) {
      problems.push(`${c.type} v${c.version}: declared twice in the contracts`);
    }
  }

  for (const type of types) {
    const circulating = versionsOf(contracts, type);
    const current = circulating.at(-1)!;
    const releasedVersions = [...(released.get(type)?.keys() ?? [])].sort((a, b) => a - b);
    const lastReleased = releasedVersions.at(-1);
    if (lastReleased === undefined) {
      notes.push(`${type} v${current}: new, not released yet`);
    } else if (current < lastReleased) {
      problems.push(`${type}: current version ${current} is lower than the released version ${lastReleased}`);
    } else if (current > lastReleased) {
      if (!circulating.includes(lastReleased)) {
        problems.push(
          `${type}: version raised from ${lastReleased} to ${current}, but version ${lastReleased} is no longer in the contracts; ` +
            `keep it (and its consumers' handlers) during the transition`,
        );
      }
      notes.push(`${type}: version raised from ${lastReleased} to ${current}, not released yet`);
    }
    for (const version of circulating) {
      const schema = released.get(type)?.get(version);
      const contract = contracts.find((c) => c.type === type && c.version === version)!;
      if (!schema) continue;
      for (const change of compareSchemas(schema, releasedSchema(contract))) {
        const field = change.path ? `field "${change.path}"` : 'data';
        if (!change.breaking) notes.push(`${type} v${version}: ${field}: ${change.change}`);
        else problems.push(`${type} v${version}: ${field}: ${change.change}; breaking: raise the version to ${current === version ? version + 1 : current} instead`);
      }
    }
  }

  for (const type of [...released.keys()].sort()) {
    if (!types.includes(type)) problems.push(`${type}: released, but no longer in the contracts (its consumers would lose it)`);
  }

  for (const consumer of consumers) {
    const handled = [...new Set(consumer.accepts.map((a) => a.type))].sort();
    for (const type of handled) {
      const accepted = consumer.accepts.filter((a) => a.type === type).map((a) => a.version).sort((a, b) => a - b);
      const circulating = versionsOf(contracts, type);
      if (circulating.length === 0) {
        problems.push(`${type}: consumer ${consumer.name} handles it, but it is not in the contracts`);
        continue;
      }
      const missing = circulating.filter((v) => !accepted.includes(v));
      const unknown = accepted.filter((v) => !circulating.includes(v));
      if (missing.length) {
        problems.push(
          `${type}: consumer ${consumer.name} accepts version ${accepted.join(', ')} but not ${missing.join(', ')}; ` +
            `consumers accept every version in circulation (${circulating.join(', ')}) during a transition`,
        );
      }
      if (unknown.length) problems.push(`${type}: consumer ${consumer.name} accepts version ${unknown.join(', ')}, which is not in the contracts`);
    }
  }
  return { problems, notes };
}
