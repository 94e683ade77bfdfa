import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The heavy fault tests run apart: vitest.faults.config.ts.
    exclude: ['test/faults/**', '**/node_modules/**'],
    // Starts (or reuses) the Kafka broker once for every test file.
    globalSetup: ['src/testing/kafka-setup.ts'],
    testTimeout: 60_000,
    // The very first run downloads the broker's jars from Maven Central.
    hookTimeout: 180_000,
  },
});
