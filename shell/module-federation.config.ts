import { createModuleFederationConfig } from '@module-federation/vite';
import { sharedModules } from '@shop/frontend-server/federation-shared';

export default createModuleFederationConfig({
  name: 'shell',
  // No build-time remotes: they come from /remotes.json at run time (see src/features/fragments).
  remotes: {},
  manifest: true,
  shared: sharedModules,
  dts: false,
  // Publishes the federation runtime (runtime-core) on globalThis._FEDERATION_RUNTIME_CORE for the fragments,
  // which are built without their own copy (experiments.externalRuntime).
  experiments: { provideExternalRuntime: true },
});
