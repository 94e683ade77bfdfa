import type { TestProject } from 'vitest/node';
import { ensureTestKafka } from './test-kafka.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

/**
 * A vitest globalSetup for suites that need Kafka (test-only: no workspace depends on infra at run time).
 * One broker for the whole run: KAFKA_BROKERS, a broker already on KAFKA_PORT, or one started here.
 */
export default async function setup(project: TestProject) {
  const kafka = await ensureTestKafka((line) => console.log(line));
  project.provide('kafkaBrokers', kafka.brokers);
  // For tests that read the environment rather than inject().
  process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  return () => kafka.stop();
}
