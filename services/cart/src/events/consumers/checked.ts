import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Checks an event's data against its contract before a handler sees it. A mismatch throws, so the
 * consumer retries and then dead-letters the message instead of applying something malformed.
 */
export function checked<S extends TSchema, R>(schema: S, handle: (data: Static<S>) => Promise<R>) {
  const validator = Compile(schema);
  return (data: unknown): Promise<R> => {
    if (!validator.Check(data)) {
      const first = validator.Errors(data)[0];
      throw new Error(`event data is invalid: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}`);
    }
    return handle(data as Static<S>);
  };
}
