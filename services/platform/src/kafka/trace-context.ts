/**
 * W3C Trace Context across Kafka, by hand with the OpenTelemetry API (the contrib kafkajs instrumentation
 * would publish in the relay's context, not in that of the request that wrote the outbox row).
 *
 * A message is published under a producer span (`send <topic>`) whose parent is the writer's traceparent
 * (the outbox row's, else the envelope's), and that span's traceparent goes in the message's headers.
 * A consumer's span (`process <topic>`) is a child of the producer span taken from the headers (the
 * envelope's traceparent when a message has none), so a trace reads writer → send → process → … .
 * Attribute names follow OpenTelemetry's messaging semantic conventions.
 */
import {
  context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const tracer = trace.getTracer('@shop/platform/kafka');

/** A header value as kafkajs delivers it (Buffer, string, or a list of them), as text. */
const headerText = (value: IHeaders[string]): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/** The envelope's `traceparent` extension, read from a CloudEvent's JSON text; undefined if absent or not JSON. */
export function envelopeTraceparent(value: string | Buffer | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value.toString()) as { traceparent?: unknown };
    return typeof parsed.traceparent === 'string' ? parsed.traceparent : undefined;
  } catch {
    return undefined;
  }
}

/** The context a W3C `traceparent` (and optional `tracestate`) describes; the root context without one. */
export function contextOf(traceparent: string | undefined, tracestate?: string): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, tracestate ? { traceparent, tracestate } : { traceparent });
}

/** Headers carrying `ctx` (W3C `traceparent`, and `tracestate` if any). Empty when tracing is off. */
export function traceHeaders(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

export interface ProducerSpan {
  /** The message's headers with the producer span's context added (kept as given when tracing is off). */
  headers: Record<string, string>;
  /** Ends the span, as failed when `err` is given. */
  end(err?: unknown): void;
}

/**
 * Starts the producer span of one message to `topic`, a child of `parent` (the writer's context: from the
 * outbox row, or the active one). Returns the headers to send it with and the span's `end`.
 */
export function startProducerSpan(
  topic: string,
  message: { key: string; headers?: Record<string, string> },
  parent: Context = context.active(),
): ProducerSpan {
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': topic,
      'messaging.kafka.message.key': message.key,
    },
  }, parent);
  return {
    headers: { ...message.headers, ...traceHeaders(trace.setSpan(parent, span)) },
    end: (err) => endSpan(span, err),
  };
}

/**
 * Runs `handle` inside the consumer span of one message (`process <topic>`), a child of the producer span
 * named in its headers, or of the envelope's traceparent when it has none. The span fails if `handle` throws.
 */
export async function withConsumerSpan<T>(
  msg: { topic: string; partition: number; offset: string; headers?: IHeaders; value: Buffer | null; groupId: string; eventId?: string },
  handle: () => Promise<T>,
): Promise<T> {
  const headers = msg.headers ?? {};
  const traceparent = headerText(headers.traceparent) ?? envelopeTraceparent(msg.value);
  const parent = contextOf(traceparent, headerText(headers.tracestate));
  const span = tracer.startSpan(`process ${msg.topic}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': msg.topic,
      'messaging.destination.partition.id': String(msg.partition),
      'messaging.kafka.offset': Number(msg.offset),
      'messaging.consumer.group.name': msg.groupId,
      ...(msg.eventId ? { 'messaging.message.id': msg.eventId } : {}),
    },
  }, parent);
  try {
    const result = await context.with(trace.setSpan(parent, span), handle);
    endSpan(span);
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

function endSpan(span: Span, err?: unknown): void {
  if (err !== undefined) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  }
  span.end();
}
