import { createModuleFederationConfig } from '@module-federation/vite';

export default createModuleFederationConfig({
  name: 'shell',
  // No build-time remotes: they come from /remotes.json at run time (see src/features/fragments).
  remotes: {},
  manifest: true,
  // The shell provides these to every fragment; singletons so the page has one React, one router
  // context and one live socket.
  shared: {
    react: { singleton: true },
    'react-dom': { singleton: true },
    'react-router': { singleton: true },
    '@tanstack/react-query': { singleton: true },
    '@shop/live-client': { singleton: true },
  },
  dts: false,
  // Publishes the federation runtime (runtime-core) on globalThis._FEDERATION_RUNTIME_CORE for the fragments,
  // which are built without their own copy (experiments.externalRuntime).
  experiments: { provideExternalRuntime: true },
});
