import type { TestProject } from 'vitest/node';
import { ensureKafka } from '../src/kafka/broker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

/** One broker for the whole run: KAFKA_BROKERS, a broker already on KAFKA_PORT, or one started here. */
export default async function setup(project: TestProject) {
  const kafka = await ensureKafka({ log: (line) => console.log(line) });
  project.provide('kafkaBrokers', kafka.brokers);
  return () => kafka.stop();
}
