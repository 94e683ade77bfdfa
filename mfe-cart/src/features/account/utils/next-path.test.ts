import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path.ts';

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/checkout')).toBe('/checkout');
    expect(safeNextPath('/orders/abc?x=1#top')).toBe('/orders/abc?x=1#top');
    expect(safeNextPath('/a/./b/../c')).toBe('/a/c');
  });

  // Each of these either names another host as written, or becomes a protocol-relative `//host` once a
  // URL parser (ours, the router's or the browser's) normalises or decodes it.
  it.each([
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    '/.//evil.example',
    '/./\\evil.example',
    '/../..//evil.example',
    '/%2F/evil.example',
    '/%2f%2fevil.example',
    '/%5Cevil.example',
    '/%5c%5cevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    '/ /evil.example',
    'https://evil.example',
    'https:/evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '/javascript:alert(1)//%0a',
    'data:text/html,<script>alert(1)</script>',
    'checkout',
    '',
    null,
    undefined,
  ])('refuses %j', (next) => {
    const safe = safeNextPath(next);
    if (safe === undefined) return;
    // Whatever comes back must be a plain path here, even after one more round of parsing.
    expect(safe).toMatch(/^\/(?![/\\])/);
    expect(new URL(safe, 'http://shop.invalid').origin).toBe('http://shop.invalid');
    expect(decodeURIComponent(safe)).toMatch(/^\/(?![/\\])/);
  });

  it('answers nothing for /.//evil.example rather than //evil.example', () => {
    expect(safeNextPath('/.//evil.example')).toBeUndefined();
  });
});
