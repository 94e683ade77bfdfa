import fp from 'fastify-plugin';
import { startConsumer, type ConsumedEvent } from './kafka.ts';

export interface ConsumerPluginOptions {
  brokers: string[];
  groupId: string;
  topics: string[];
  handle(msg: ConsumedEvent): Promise<void>;
}

/** Consumes the given topics for as long as the app is up. */
export const consumerPlugin = fp<ConsumerPluginOptions>(async (app, { brokers, groupId, topics, handle }) => {
  const consumer = await startConsumer(
    { brokers, clientId: groupId, logger: app.log },
    { groupId, topics, fromBeginning: true, handle },
  );
  app.addHook('onClose', () => consumer.stop());
});
