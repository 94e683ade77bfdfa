import { Topics } from '@shop/contracts/topics';

export type TopicNames = { readonly [K in keyof typeof Topics]: string };

/** The contract's topic names behind a prefix (config `TOPIC_PREFIX`), so a test run can have topics of its own. */
export const topicNames = (prefix = ''): TopicNames =>
  Object.fromEntries(Object.entries(Topics).map(([key, topic]) => [key, `${prefix}${topic}`])) as unknown as TopicNames;
