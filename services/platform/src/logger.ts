import { pino, type Logger, type LoggerOptions } from 'pino';

/** pino JSON logs with the service name on every line; Fastify adds request ids. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
}

export const createLogger = (service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino(loggerOptions(service, level));

export type { Logger };
