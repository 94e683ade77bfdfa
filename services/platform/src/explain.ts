/** What a compiled TypeBox check says about a value: enough of it to explain a rejection. */
export interface Explainable {
  Errors(value: unknown): { instancePath: string; message: string }[];
}

/**
 * The first reason `check` rejects `value`, as `<JSON pointer> <message>` (RFC 6901 pointer, `/` for the
 * value itself); `invalid` if the check gives none. Never throws.
 */
export function explain(check: Explainable, value: unknown): string {
  const first = check.Errors(value)[0];
  return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid';
}
