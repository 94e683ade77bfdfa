import { describe, expect, it } from 'vitest';
import { manifestUrl, parseRemotes, versionOf } from './parse-remotes.ts';

describe('parseRemotes', () => {
  it('accepts the documented shape', () => {
    const file = {
      remotes: [
        { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' },
        { name: 'mfe_cart', entry: '/fragments/cart/mf-manifest.json' },
      ],
    };
    expect(parseRemotes(file)).toEqual(file);
  });

  it("keeps a release's version, and names a bad one", () => {
    const file = { remotes: [{ name: 'mfe_catalog', entry: 'http://localhost:3001/releases/v2/mf-manifest.json', version: 'v2' }] };
    expect(parseRemotes(file)).toEqual(file);
    expect(() => parseRemotes({ remotes: [{ ...file.remotes[0], version: 2 }] })).toThrow('remotes[0].version must be letters, digits');
  });

  it('drops unknown fields', () => {
    expect(parseRemotes({ remotes: [{ name: 'a', entry: 'https://x.example/m.json', extra: 1 }], v: 2 })).toEqual({
      remotes: [{ name: 'a', entry: 'https://x.example/m.json' }],
    });
  });

  it('keeps a version beside name and entry', () => {
    const file = {
      remotes: [
        { name: 'mfe_catalog', entry: '/fragments/mfe_catalog/2.4.0+b7/mf-manifest.json', version: '2.4.0+b7' },
        { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
      ],
    };
    expect(parseRemotes(file)).toEqual(file);
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: '/a.json', version: 'two words' }] })).toThrow('remotes[0].version');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: '/a.json', version: 2 }] })).toThrow('remotes[0].version');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: '/a.json', version: '' }] })).toThrow('remotes[0].version');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: '/a.json', version: 'v'.repeat(65) }] })).toThrow('remotes[0].version');
  });

  it('derives a version from the entry when none is named', () => {
    expect(versionOf({ name: 'a', entry: '/a.json', version: '1.0.0' })).toBe('1.0.0');
    const derived = versionOf({ name: 'a', entry: 'http://localhost:3001/mf-manifest.json' });
    expect(derived).toMatch(/^entry-[0-9a-f]{8}$/);
    expect(versionOf({ name: 'b', entry: 'http://localhost:3001/mf-manifest.json' })).toBe(derived);
    expect(versionOf({ name: 'a', entry: 'http://localhost:3011/mf-manifest.json' })).not.toBe(derived);
  });

  it('names what is wrong', () => {
    expect(() => parseRemotes(null)).toThrow(/"remotes"/);
    expect(() => parseRemotes({ remotes: {} })).toThrow(/"remotes"/);
    expect(() => parseRemotes({ remotes: ['x'] })).toThrow('remotes[0] must be an object');
    expect(() => parseRemotes({ remotes: [{ name: 'mfe-catalog', entry: '/m.json' }] })).toThrow('remotes[0].name');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: '' }] })).toThrow('remotes[0].entry');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: 'javascript:alert(1)' }] })).toThrow('remotes[0].entry');
    expect(() => parseRemotes({ remotes: [{ name: 'a', entry: 'relative/m.json' }] })).toThrow('remotes[0].entry');
    expect(() =>
      parseRemotes({
        remotes: [
          { name: 'a', entry: '/a.json' },
          { name: 'a', entry: '/b.json' },
        ],
      }),
    ).toThrow('listed twice');
  });

  it('builds manifest URLs from origins', () => {
    expect(manifestUrl('http://localhost:3001')).toBe('http://localhost:3001/mf-manifest.json');
    expect(manifestUrl('https://cdn.example/catalog/')).toBe('https://cdn.example/catalog/mf-manifest.json');
  });
});
