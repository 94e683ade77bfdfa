/** One topic per producing service; `<topic>.dlq` holds what its consumers could not handle. */
export const Topics = {
  catalog: 'catalog.events',
  inventory: 'inventory.events',
  cart: 'cart.events',
  orders: 'orders.events',
  payments: 'payments.events',
  identity: 'identity.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

/** Headers a dead-lettered message carries, naming where it came from and why it failed. */
export const DlqHeaders = {
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  error: 'dlq-error',
  consumerGroup: 'dlq-consumer-group',
} as const;
