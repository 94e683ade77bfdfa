import { describe, expect, it } from 'vitest';
import { planRegistration, remoteOf } from './plan-registration.ts';

const catalog = { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' };
const cart = { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' };

describe('planRegistration', () => {
  it('registers everything when nothing is registered yet (the first /remotes.json failed)', () => {
    expect(planRegistration([catalog, cart], [], 'mfe_catalog')).toEqual({ added: [catalog, cart], replaced: [] });
  });

  it('replaces the remote being retried even at the same entry, so its cached failure is dropped', () => {
    expect(planRegistration([catalog, cart], [catalog, cart], 'mfe_catalog')).toEqual({ added: [], replaced: [catalog] });
  });

  it('replaces a remote whose entry moved (a redeploy under a new path) and keeps the others', () => {
    const moved = { ...cart, entry: 'http://localhost:3002/releases/r2/mf-manifest.json' };
    expect(planRegistration([catalog, moved], [catalog, cart], 'mfe_catalog')).toEqual({
      added: [],
      replaced: [catalog, moved],
    });
    expect(planRegistration([catalog, moved], [catalog, cart])).toEqual({ added: [], replaced: [moved] });
  });
});

describe('remoteOf', () => {
  it('names the remote of a fragment id', () => {
    expect(remoteOf('mfe_catalog/CatalogPage')).toBe('mfe_catalog');
  });
});
