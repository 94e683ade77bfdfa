/**
 * OpenTelemetry tracing for every server here, started once per process before the app's modules load.
 *
 * A server's entry calls `await startTracing('<service>')` as its first statement and then loads the rest
 * of itself with `await import(...)`: the import hook that auto-instrumentation needs for ES modules
 * (import-in-the-middle) only sees modules loaded after it is registered, and static imports would load
 * first. Nothing in here is imported statically but the API, so `TRACING=off` costs nothing.
 *
 * Spans go to Zipkin (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`, default http://localhost:9411/api/v2/spans) or, when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, to any OTLP collector
 * (http/protobuf). Propagation is W3C Trace Context (`traceparent`).
 */
import { register } from 'node:module';
import { context, propagation, trace, type Context, type Span } from '@opentelemetry/api';

/** Whether tracing is on for this process: anything but `TRACING=off` (or `false`, `0`). */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  !['off', 'false', '0'].includes((env.TRACING ?? '').toLowerCase());

let shutdown: (() => Promise<void>) | undefined;

/**
 * Starts the tracer provider for `service` (the `service.name` resource; `OTEL_SERVICE_NAME` wins), with
 * HTTP in and out (node:http, undici/fetch), pg and ioredis instrumented. Kafka is traced by hand in
 * `kafka/` (see `kafka/trace-context.ts`). A no-op when tracing is off or already started. Never throws
 * for an exporter that cannot be reached: spans are then dropped after the batch processor's timeout.
 */
export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (shutdown || !tracingEnabled(env)) return;
  // ES modules are hooked only for the packages an instrumentation asks for, not every module loaded.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeTracerProvider }, { BatchSpanProcessor }, { resourceFromAttributes }, { registerInstrumentations },
    { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'), import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'), import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [new BatchSpanProcessor(await exporter(env))],
  });
  provider.register(); // W3C trace-context propagator and the AsyncLocalStorage context manager

  // Probes and scrapes would be a trace each every second; background loops' own queries (a relay's
  // poll, a LISTEN) have no parent and are not traced either: only work done for a request or a message.
  const unprobed = new Set(['/ready', '/health', '/metrics', '/ready/downstreams']);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => unprobed.has((req.url ?? '').split('?')[0]!),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  await waitForAllMessagesAcknowledged();
  shutdown = () => provider.shutdown();
}

async function exporter(env: NodeJS.ProcessEnv) {
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter(); // reads the standard OTEL_EXPORTER_OTLP_* variables
  }
  const { ZipkinExporter } = await import('@opentelemetry/exporter-zipkin');
  return new ZipkinExporter({ url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT || 'http://localhost:9411/api/v2/spans' });
}

/** Exports the spans still buffered and stops tracing; resolves at once when tracing was never started. */
export async function stopTracing(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.().catch(() => undefined);
}

/** The W3C `traceparent` of `ctx` (default: the active context), or undefined outside any sampled span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/**
 * The W3C Trace Context level 2 `traceresponse` header value for a server span
 * (`00-<trace-id>-<span-id>-<flags>`): tells a caller which trace its request joined or started.
 */
export function traceresponseOf(span: Span | undefined = trace.getActiveSpan()): string | undefined {
  const ctx = span?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return undefined;
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.traceFlags.toString(16).padStart(2, '0')}`;
}

/** Names the active server span `<METHOD> <route>` and sets `http.route` (OpenTelemetry HTTP conventions). */
export function nameServerSpan(method: string, route: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span || !route) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}
