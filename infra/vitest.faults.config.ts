import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults -w @shop/infra`: fault tests too heavy for `npm test` on a small machine (each starts
 * JVMs of its own on private ports). Run one at a time, e.g. under `flock /tmp/chaos.lock`.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
