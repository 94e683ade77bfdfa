import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * The active span's ids as log fields (`trace_id`, `span_id`, `trace_flags`: the names OpenTelemetry's
 * log data model and its pino instrumentation use), so every line written while serving a request or
 * handling a consumed message names its trace. Empty outside a span and when tracing is off.
 */
export function traceFields(): Record<string, string> {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return {};
  return { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: `0${ctx.traceFlags.toString(16)}`.slice(-2) };
}

/** pino JSON logs with the service name and the active trace on every line; Fastify adds request ids. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceFields };
}

export const createLogger = (service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino(loggerOptions(service, level));

export type { Logger };
