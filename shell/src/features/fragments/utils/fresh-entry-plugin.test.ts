import { describe, expect, it } from 'vitest';
import { reloadUrl } from './fresh-entry-plugin.ts';

describe('reloadUrl', () => {
  it('gives each attempt its own URL, keeping the query the entry had', () => {
    expect(reloadUrl('http://localhost:3001/remoteEntry.js', 1)).toBe('http://localhost:3001/remoteEntry.js?reload=1');
    expect(reloadUrl('http://localhost:3001/remoteEntry.js?reload=1', 2)).toBe('http://localhost:3001/remoteEntry.js?reload=2');
    expect(reloadUrl('https://cdn.example/r/7/remoteEntry.js?team=cart', 3)).toBe(
      'https://cdn.example/r/7/remoteEntry.js?team=cart&reload=3',
    );
  });
});
