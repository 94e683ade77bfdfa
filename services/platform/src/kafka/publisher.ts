import { client, producerOf, type KafkaConfig } from './client.ts';

export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface Publisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Connects an idempotent producer; `publish` resolves once all replicas have each message (acks=all). */
export async function createPublisher(cfg: KafkaConfig): Promise<Publisher> {
  const producer = producerOf(client(cfg));
  await producer.connect();
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      await producer.send({ topic, acks: -1, messages });
    },
    close: () => producer.disconnect(),
  };
}
