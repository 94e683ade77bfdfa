import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Kafka for the live and shopping-trip tests: KAFKA_BROKERS, a broker already running, or one started for the run.
    globalSetup: [fileURLToPath(import.meta.resolve('@shop/infra/testing/kafka-setup'))],
    testTimeout: 20_000,
    hookTimeout: 180_000,
  },
});
