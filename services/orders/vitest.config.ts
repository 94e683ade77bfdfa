import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Kafka for the consumer test: KAFKA_BROKERS, a broker already running, or one started for the run.
    globalSetup: [fileURLToPath(import.meta.resolve('@shop/infra/testing/kafka-setup'))],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
