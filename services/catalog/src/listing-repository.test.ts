import { describe, expect, it } from 'vitest';
import { toPrefixQuery } from './listing-repository.ts';

describe('toPrefixQuery', () => {
  it('matches every typed word as a prefix', () => {
    expect(toPrefixQuery('Wire head')).toBe('wire:* & head:*');
  });

  it('drops tsquery operators and punctuation, so no input can break the query', () => {
    expect(toPrefixQuery("cast-iron & (pan) | !x ' :*")).toBe('cast:* & iron:* & pan:* & x:*');
  });

  it('treats blank input as no search', () => {
    expect(toPrefixQuery('  &| ')).toBeUndefined();
    expect(toPrefixQuery(undefined)).toBeUndefined();
  });
});
