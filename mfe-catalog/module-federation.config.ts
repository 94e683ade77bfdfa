import { createModuleFederationConfig } from '@module-federation/vite';

export default createModuleFederationConfig({
  name: 'mfe_catalog',
  filename: 'remoteEntry.js',
  manifest: true,
  exposes: {
    './CatalogPage': './src/app/expose/catalog-page.tsx',
    './ProductPage': './src/app/expose/product-page.tsx',
  },
  // Singletons: one React, one router context and one live socket per page, whoever loads first.
  shared: {
    react: { singleton: true },
    'react-dom': { singleton: true },
    'react-router': { singleton: true },
    '@tanstack/react-query': { singleton: true },
    '@shop/live-client': { singleton: true },
  },
  dts: false,
  // The federation runtime (runtime-core) is the shell's: one copy per page instead of one per fragment.
  // The standalone page has no shell, so it provides the runtime itself (provideFederationRuntime()).
  experiments: { externalRuntime: true },
});
