import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/parts.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageOf, sharedMismatches, shellProvidedVersions, shellSharing } from '../../src/release/shared-guard.ts';

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

  it('refuses a fragment that would get its own copy of a singleton: shared otherwise than the shell, or needing names its container lacks', () => {
    const router = ['BrowserRouter', 'Link', 'useParams'];
    const sharing = { 'react-router': router, '@tanstack/react-query': null, react: null };
    const shared = [
      { name: 'react-router', singleton: true, requiredVersion: '^7.0.0', usedExports: ['Link', 'matchPath', 'useParams', 'useRoutes'] },
      { name: '@tanstack/react-query', singleton: true, requiredVersion: '^5.0.0', usedExports: ['useQuery'] },
      { name: 'react', singleton: true, requiredVersion: '^19.0.0' },
    ];
    expect(sharedMismatches('mfe_cart', shared, { ...provided, '@tanstack/react-query': '5.108.0' }, sharing)).toEqual([
      "mfe_cart needs matchPath, useRoutes of react-router, which the shell's build does not provide",
      'mfe_cart shares @tanstack/react-query tree-shaken but the shell shares it whole',
    ]);
    expect(sharedMismatches('mfe_cart', [{ name: 'react-router', singleton: true, requiredVersion: '^7.0.0' }], provided, sharing)).toEqual([
      'mfe_cart shares react-router whole but the shell shares it tree-shaken',
    ]);
    expect(sharedMismatches('mfe_cart', [{ name: 'react-router', singleton: true, requiredVersion: '^7.0.0', usedExports: ['Link'] }], provided, sharing)).toEqual([]);
  });

  it("reads how the shell's build shares each singleton from its manifest, and nothing without a build", () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'shell-dist-'));
    expect(shellSharing(dist)).toBeUndefined();
    const shared = [
      { name: 'react', singleton: true, version: '19.3.1' },
      { name: 'react-router', singleton: true, version: '7.18.6', usedExports: ['Link', 'Routes'] },
      { name: 'left-pad', singleton: false, version: '1.0.0' },
    ];
    writeFileSync(path.join(dist, 'mf-manifest.json'), JSON.stringify({ shared }));
    expect(shellSharing(dist)).toEqual({ react: null, 'react-router': ['Link', 'Routes'] });
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
