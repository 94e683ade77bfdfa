import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Kafka for the messaging tests: KAFKA_BROKERS, a broker already running, or one started for the run.
    globalSetup: [fileURLToPath(import.meta.resolve('@shop/infra/testing/kafka-setup'))],
    testTimeout: 60_000,
    // The very first run downloads the broker's jars from Maven Central.
    hookTimeout: 180_000,
  },
});
