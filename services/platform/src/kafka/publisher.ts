import { client, producerOf, type KafkaConfig } from './client.ts';
import { startProducerSpan } from './trace-context.ts';

export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface Publisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects an idempotent producer; `publish` resolves once all replicas have each message (acks=all).
 * Each message is sent under a producer span in the caller's trace, its traceparent in the headers.
 */
export async function createPublisher(cfg: KafkaConfig): Promise<Publisher> {
  const producer = producerOf(client(cfg));
  await producer.connect();
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      const spans = messages.map((m) => startProducerSpan(topic, m));
      try {
        await producer.send({ topic, acks: -1, messages: messages.map((m, i) => ({ ...m, headers: spans[i]!.headers })) });
        for (const span of spans) span.end();
      } catch (err) {
        for (const span of spans) span.end(err);
        throw err;
      }
    },
    close: () => producer.disconnect(),
  };
}
