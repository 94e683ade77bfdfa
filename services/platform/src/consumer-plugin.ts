import fp from 'fastify-plugin';
import { brokerHealth } from './kafka/admin.ts';
import { startConsumer, type ConsumedEvent } from './kafka/consumer.ts';

export interface ConsumerPluginOptions {
  brokers: string[];
  groupId: string;
  topics: string[];
  handle(msg: ConsumedEvent): Promise<void>;
}

/** Consumes the given topics for as long as the app is up, reporting as loop `consumer:<groupId>`. */
export const consumerPlugin = fp<ConsumerPluginOptions>(async (app, { brokers, groupId, topics, handle }) => {
  const consumer = await startConsumer(
    { brokers, clientId: groupId, logger: app.log },
    { groupId, topics, fromBeginning: true, handle },
  );
  if (app.hasDecorator('health')) app.health.register(`consumer:${groupId}`, () => consumer.health());
  if (app.hasDecorator('health')) app.health.register('kafka', brokerHealth({ brokers, clientId: groupId, logger: app.log }));
  app.addHook('onClose', () => consumer.stop());
});
