import type { JsonSchema } from './json-schema.ts';

/** One change from a released schema to the current one, at a field path of `data` (`lines[].sku`; empty: `data` itself). */
export interface SchemaChange {
  path: string;
  /** What changed, in words, e.g. `removed`, `type changed from integer to string`. */
  change: string;
  /** True when consumers of the released version cannot take data of the current schema, or the other way round. */
  breaking: boolean;
}

/** Keywords that only describe: a change to them is no change to the contract. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords compared here by structure rather than by value. */
const STRUCTURE = new Set(['type', 'properties', 'required', 'items', 'anyOf', 'const', 'enum']);

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
const child = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** The values a schema allows when it is a closed set (`const`, `enum`, or `anyOf` of those); undefined otherwise. */
function allowedValues(s: JsonSchema): unknown[] | undefined {
  if ('const' in s) return [s.const];
  if (Array.isArray(s.enum)) return s.enum;
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
    const parts = s.anyOf.map((a) => (isSchema(a) ? allowedValues(a) : undefined));
    if (parts.every((p) => p !== undefined)) return parts.flat();
  }
  return undefined;
}

/**
 * Compares the current JSON Schema of an event's `data` with the released one, field by field. Every
 * consumer validates `data` against the schema of the version it handles, and objects are open
 * (unknown fields pass), so the changes that break are the ones data on one side would fail on the other:
 * a removed field, a field newly required or no longer required, a changed type, an enum narrowed (old
 * events carry the value) or widened (old consumers reject the new value), and any changed constraint
 * (`minimum`, `pattern`, `format`, …). Only a new optional field is not breaking.
 */
export function compareSchemas(released: JsonSchema, current: JsonSchema, path = ''): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const breaking = (change: string, at = path) => changes.push({ path: at, change, breaking: true });

  const oldValues = allowedValues(released);
  const newValues = allowedValues(current);
  if (oldValues || newValues) {
    if (!oldValues || !newValues) return [{ path, change: `changed from ${show(released)} to ${show(current)}`, breaking: true }];
    const key = (v: unknown) => JSON.stringify(v);
    const removed = oldValues.filter((v) => !newValues.some((n) => key(n) === key(v)));
    const added = newValues.filter((v) => !oldValues.some((o) => key(o) === key(v)));
    if (removed.length) breaking(`enum narrowed: ${removed.map(show).join(', ')} no longer allowed`);
    if (added.length) breaking(`enum widened: ${added.map(show).join(', ')} added, which consumers of the released version reject`);
    return changes;
  }

  if (show(released.type) !== show(current.type)) {
    return [{ path, change: `type changed from ${show(released.type)} to ${show(current.type)}`, breaking: true }];
  }

  const keywords = new Set([...Object.keys(released), ...Object.keys(current)]);
  for (const k of [...keywords].sort()) {
    if (ANNOTATIONS.has(k) || STRUCTURE.has(k)) continue;
    if (show(released[k]) !== show(current[k])) breaking(`constraint ${k} changed from ${show(released[k])} to ${show(current[k])}`);
  }

  if (isSchema(released.properties) || isSchema(current.properties)) {
    const oldProps = isSchema(released.properties) ? released.properties : {};
    const newProps = isSchema(current.properties) ? current.properties : {};
    const oldRequired = new Set(Array.isArray(released.required) ? released.required : []);
    const newRequired = new Set(Array.isArray(current.required) ? current.required : []);
    for (const name of Object.keys(oldProps)) {
      const at = child(path, name);
      if (!(name in newProps)) {
        breaking(oldRequired.has(name) ? 'required field removed' : 'optional field removed', at);
        continue;
      }
      if (!oldRequired.has(name) && newRequired.has(name)) breaking('field became required (events written before lack it)', at);
      if (oldRequired.has(name) && !newRequired.has(name)) breaking('field became optional (consumers of the released version require it)', at);
      const [o, n] = [oldProps[name], newProps[name]];
      if (isSchema(o) && isSchema(n)) changes.push(...compareSchemas(o, n, at));
    }
    for (const name of Object.keys(newProps)) {
      if (name in oldProps) continue;
      const at = child(path, name);
      if (newRequired.has(name)) breaking('newly required field (events written before lack it)', at);
      else changes.push({ path: at, change: 'optional field added', breaking: false });
    }
  }

  if (isSchema(released.items) && isSchema(current.items)) changes.push(...compareSchemas(released.items, current.items, `${path}[]`));
  else if (show(released.items) !== show(current.items)) breaking(`items changed from ${show(released.items)} to ${show(current.items)}`);

  if (Array.isArray(released.anyOf) || Array.isArray(current.anyOf)) {
    if (show(released.anyOf) !== show(current.anyOf)) breaking('union changed');
  }
  return changes;
}
