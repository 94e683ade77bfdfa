import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '../src/config.ts';
import { createPool, withTransaction, type Pool } from '../src/db.ts';
import { ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { startConsumer, type Consumer } from '../src/kafka/consumer.ts';
import { createOutboxSink } from '../src/kafka/outbox-sink.ts';
import { createLogger } from '../src/logger.ts';
import { createEvent, enqueue, startOutboxRelay, type OutboxRelay } from '../src/outbox.ts';
import { createTestDatabase } from '../src/testing/database.ts';

// The real chain over the real broker: an event written in a request's transaction is published by the
// relay (another context entirely) and consumed, and the consumer's span continues the writer's trace
// through a producer span, as the outbox row, the envelope and the Kafka headers carry it.
const run = randomBytes(4).toString('hex');
const topic = `test-${run}.events`;
const brokers = brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const logger = createLogger('trace-test', 'silent');
const kafka: KafkaConfig = { brokers, clientId: `trace-test-${run}`, logger };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = trace.getTracer('trace-propagation-test');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let relay: OutboxRelay;
let consumer: Consumer;
/** What the handler saw: the event and the span active while it ran. */
const handled = new Map<string, { event: CloudEvent; active: SpanContext | undefined }>();

beforeAll(async () => {
  db = await createTestDatabase('tracing', fixture('migrations'));
  pool = createPool(db.url);
  await ensureTopics(kafka, [topic]);
  consumer = await startConsumer(kafka, {
    groupId: `trace-test-${run}`,
    topics: [topic],
    fromBeginning: true,
    handle: async ({ event }) => {
      handled.set(event.subject, { event, active: trace.getActiveSpan()?.spanContext() });
    },
  });
  const sink = await createOutboxSink(kafka, { relayId: `trace-test-${run}`, checkpointTopic: topic });
  relay = await startOutboxRelay({ pool, sink, logger, pollIntervalMs: 200 });
});
afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  await pool?.end();
  await db?.drop();
  await provider.shutdown();
});

async function handledEvent(subject: string) {
  const deadline = Date.now() + 30_000;
  while (!handled.has(subject) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const seen = handled.get(subject);
  if (!seen) throw new Error(`the consumer never handled ${subject}`);
  return seen;
}

/** The finished span of that name and kind in the trace; waits a little, as a span ends after its work is seen. */
async function spanNamed(name: string, kind: SpanKind, traceId: string): Promise<ReadableSpan> {
  const find = () => exporter.getFinishedSpans().find((s) => s.name === name && s.kind === kind && s.spanContext().traceId === traceId);
  const deadline = Date.now() + 10_000;
  while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const span = find();
  if (!span) throw new Error(`no ${SpanKind[kind]} span "${name}" in trace ${traceId}`);
  return span;
}

describe('trace context through the outbox and Kafka', () => {
  it("makes the consumer's span a child of the producer span, itself a child of the request that wrote the event", async () => {
    const request = tracer.startSpan('POST /widgets', { kind: SpanKind.SERVER });
    const { traceId, spanId } = request.spanContext();
    await tracer.startActiveSpan('handler', {}, trace.setSpan(context.active(), request), async (handler) => {
      await withTransaction(pool, (client) =>
        enqueue(client, topic, createEvent('test', { type: 'widget.created', subject: 'w-request', data: {} })));
      handler.end();
    });
    request.end();
    const handlerSpan = await spanNamed('handler', SpanKind.INTERNAL, traceId);

    // The row keeps the writer's traceparent, in its column and in the envelope.
    const { rows } = await pool.query<{ traceparent: string; event: CloudEvent }>(
      "SELECT traceparent, event FROM outbox WHERE message_key = 'w-request'",
    );
    expect(rows[0]!.traceparent).toBe(`00-${traceId}-${handlerSpan.spanContext().spanId}-01`);
    expect(rows[0]!.event.traceparent).toBe(rows[0]!.traceparent);

    const { active } = await handledEvent('w-request');
    const producer = await spanNamed(`send ${topic}`, SpanKind.PRODUCER, traceId);
    const consumed = await spanNamed(`process ${topic}`, SpanKind.CONSUMER, traceId);
    expect(producer.parentSpanContext?.spanId).toBe(handlerSpan.spanContext().spanId);
    expect(handlerSpan.parentSpanContext?.spanId).toBe(spanId);
    expect(consumed.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    // The handler ran inside the consumer span, so its own work (queries, logs, events) joins the trace.
    expect(active?.spanId).toBe(consumed.spanContext().spanId);
  });

  it("publishes under the outbox row's traceparent column, even when the envelope has none", async () => {
    const traceId = randomBytes(16).toString('hex');
    const writer = randomBytes(8).toString('hex');
    const event = createEvent('test', { type: 'widget.created', subject: 'w-row', data: {} }); // no span active: no traceparent
    expect(event.traceparent).toBeUndefined();
    await pool.query(
      'INSERT INTO outbox (topic, message_key, event, traceparent) VALUES ($1, $2, $3, $4)',
      [topic, 'w-row', event, `00-${traceId}-${writer}-01`],
    );

    const { active } = await handledEvent('w-row');
    const producer = await spanNamed(`send ${topic}`, SpanKind.PRODUCER, traceId);
    const consumed = await spanNamed(`process ${topic}`, SpanKind.CONSUMER, traceId);
    expect(producer.parentSpanContext?.spanId).toBe(writer);
    expect(consumed.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(active?.traceId).toBe(traceId);
  });
});
