import { createHash } from 'node:crypto';
import { invalidCursor } from '../errors.ts';

/**
 * Opaque page cursors. Inside: the offset of the next page and a fingerprint of the search it belongs to,
 * so a cursor replayed with another query or category is refused instead of paging through the wrong list.
 * The catalog pages by offset today; an app never sees that, so it can change without breaking one.
 */
interface CursorContent {
  /** Offset of the first item of the next page. */
  o: number;
  /** Fingerprint of the search. */
  f: string;
}

export interface SearchKey {
  query?: string;
  category?: string;
}

const fingerprint = ({ query = '', category = '' }: SearchKey) =>
  createHash('sha256').update(`${query.trim().toLowerCase()}\u0000${category}`).digest('base64url').slice(0, 10);

export const encodeCursor = (offset: number, search: SearchKey): string =>
  Buffer.from(JSON.stringify({ o: offset, f: fingerprint(search) } satisfies CursorContent)).toString('base64url');

/** The offset a cursor stands for; throws MOBILE_INVALID_CURSOR for anything this API did not issue for this search. */
export function decodeCursor(cursor: string, search: SearchKey, maxOffset: number): number {
  let content: Partial<CursorContent>;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorContent>;
  } catch {
    throw invalidCursor();
  }
  const { o, f } = content ?? {};
  if (!Number.isSafeInteger(o) || (o as number) < 0 || (o as number) > maxOffset || f !== fingerprint(search)) throw invalidCursor();
  return o as number;
}
