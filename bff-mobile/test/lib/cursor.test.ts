import { describe, expect, it } from 'vitest';
import { MobileError } from '../../src/errors.ts';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.ts';

describe('page cursors', () => {
  it('round-trips the offset of the next page for the same search', () => {
    const cursor = encodeCursor(40, { query: 'Lamp ', category: 'lighting' });
    expect(decodeCursor(cursor, { query: 'lamp', category: 'lighting' }, 10_000)).toBe(40);
  });

  it('is opaque: no offset or query in plain sight', () => {
    const cursor = encodeCursor(40, { query: 'lamp' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('40');
    expect(cursor).not.toContain('lamp');
  });

  it.each([
    ['another search', encodeCursor(20, { query: 'lamp' }), { query: 'kettle' }],
    ['another category', encodeCursor(20, { category: 'audio' }), { category: 'kitchen' }],
    ['garbage', 'not-a-cursor', {}],
    ['a forged offset', Buffer.from(JSON.stringify({ o: -5, f: 'x' })).toString('base64url'), {}],
    ['an offset past the catalog', encodeCursor(20_000, {}), {}],
  ])('refuses %s with MOBILE_INVALID_CURSOR', (_what, cursor, search) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, search, 10_000);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MobileError);
    expect((thrown as MobileError).code).toBe('MOBILE_INVALID_CURSOR');
  });
});
