import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/parts.ts';
import { packageOf, sharedMismatches, shellProvidedVersions } from '../../src/release/shared-guard.ts';

const provided = { react: '19.3.1', 'react-dom': '19.3.1', 'react-router': '7.18.6' };

describe('sharedMismatches', () => {
  it('names the fragment, the package, the range it needs and the version the shell provides', () => {
    const shared = [
      { name: 'react', singleton: true, requiredVersion: '^18.2.0', version: '18.3.1' },
      { name: 'react/jsx-runtime', singleton: true, requiredVersion: '^18.2.0' },
      { name: 'react-dom', singleton: true, requiredVersion: '^18.2.0' },
      { name: 'react-router', singleton: true, requiredVersion: '^7.1.0' },
    ];
    expect(sharedMismatches('mfe_catalog', shared, provided)).toEqual([
      'mfe_catalog needs react ^18.2.0 but the shell provides 19.3.1',
      'mfe_catalog needs react-dom ^18.2.0 but the shell provides 19.3.1',
    ]);
  });

  it('accepts what the shell satisfies, non-singletons, and singletons the shell does not share', () => {
    const shared = [
      { name: 'react', singleton: true, requiredVersion: '^19.0.0' },
      { name: 'react-dom/client', singleton: true, requiredVersion: '>=19 <20' },
      { name: 'lodash', singleton: true, requiredVersion: '^4.0.0' },
      { name: 'react-router', singleton: false, requiredVersion: '^6.0.0' },
      { name: '@shop/live-client', singleton: true, requiredVersion: '*' },
    ];
    expect(sharedMismatches('mfe_cart', shared, { ...provided, '@shop/live-client': '0.1.0' })).toEqual([]);
  });

  it('maps subpaths to their package', () => {
    expect(packageOf('react-dom/client')).toBe('react-dom');
    expect(packageOf('@tanstack/react-query')).toBe('@tanstack/react-query');
  });

  it("reads the shell's versions from the lock, workspaces included", () => {
    const versions = shellProvidedVersions(repoRoot, 'shell', ['react', 'react-dom', '@shop/live-client', 'not-installed']);
    expect(versions.react).toMatch(/^19\./);
    expect(versions['react-dom']).toMatch(/^19\./);
    expect(versions['@shop/live-client']).toBe('0.1.0');
    expect(versions).not.toHaveProperty('not-installed');
  });
});
