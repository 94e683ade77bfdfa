import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brokerList } from '@shop/platform/config';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { readTopic } from '@shop/platform/testing/read-topic';
import { createLogger } from '@shop/platform/logger';
import { topicNames } from '@shop/platform/topics';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { newUser, post, testDatabase, type TestApp, type TestDatabase } from './helpers.ts';

// The whole path on a real broker, on topics of this run's own (TOPIC_PREFIX).
const run = randomUUID().slice(0, 8);
const prefix = `test-${run}.`;
const topic = topicNames(prefix).identity;
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafka = { brokers: brokerList(brokers), clientId: `identity-test-${run}`, logger: createLogger('test', 'silent') };

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await testDatabase('events');
  await ensureTopics(kafka, [topic]);
  app = await buildApp(
    readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix, OUTBOX_RELAY_ID: `identity-test-${run}` }),
  );
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

it('publishes identity.user.registered to the identity topic, keyed by the user id, without the password', async () => {
  const body = newUser();
  const res = await post(app, '/users', body);
  expect(res.statusCode).toBe(201);
  const { user } = res.json();

  const [message] = await readTopic(kafka, topic, 1);
  expect(message!.key).toBe(user.id);
  const event = JSON.parse(message!.value!);
  expect(event).toMatchObject({
    specversion: '1.0',
    type: 'identity.user.registered',
    source: 'identity',
    subject: user.id,
    // The version of the data's schema, as released in services/contracts/schemas/released.
    dataschema: 'urn:shop:schema:identity.user.registered:1',
    data: { userId: user.id, email: body.email, name: body.name },
  });
  expect(message!.value).not.toContain(body.password);
});
