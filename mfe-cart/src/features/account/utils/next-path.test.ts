import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path.ts';

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/checkout')).toBe('/checkout');
    expect(safeNextPath('/orders/abc?x=1#top')).toBe('/orders/abc?x=1#top');
  });

  it('refuses anything that leaves the site', () => {
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', 'checkout', '', null, undefined]) {
      expect(safeNextPath(next)).toBeUndefined();
    }
  });
});
