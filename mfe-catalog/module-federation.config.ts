import { createModuleFederationConfig } from '@module-federation/vite';
import { sharedModules } from '@shop/frontend-server/federation-shared';

export default createModuleFederationConfig({
  name: 'mfe_catalog',
  filename: 'remoteEntry.js',
  manifest: true,
  exposes: {
    './CatalogPage': './src/app/expose/catalog-page.tsx',
    './ProductPage': './src/app/expose/product-page.tsx',
  },
  shared: sharedModules,
  dts: false,
  // The federation runtime (runtime-core) is the shell's: one copy per page instead of one per fragment.
  // The standalone page has no shell, so it provides the runtime itself (provideFederationRuntime()).
  experiments: { externalRuntime: true },
});
