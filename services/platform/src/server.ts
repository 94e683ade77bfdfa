import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HttpError } from './errors.ts';
import { createHealthRegistry, type HealthRegistry } from './health.ts';
import { createMetrics, serveMetrics } from './metrics.ts';
import { loggerOptions } from './logger.ts';
import { nameServerSpan, stopTracing, traceresponseOf } from './tracing.ts';

export type App = FastifyInstance<
  import('node:http').Server, import('node:http').IncomingMessage, import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger, TypeBoxTypeProvider
>;

/** A dependency check for `/ready`: resolves when the dependency answers, throws when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ServerOptions {
  name: string;
  logLevel?: string;
  /** Largest accepted request body; Fastify answers 413 beyond it. */
  bodyLimit?: number;
  /** Proxies whose `x-forwarded-*` headers are believed (proxy-addr syntax, e.g. `loopback`); none by default. */
  trustProxy?: string;
  /**
   * Answers the router's own refusals (a malformed percent-encoding, a path parameter past its length),
   * which no route's error handler sees; Fastify's plain JSON by default.
   */
  frameworkErrors?: FastifyServerOptions['frameworkErrors'];
}

const READY_CHECK_TIMEOUT_MS = 2000;

/**
 * A Fastify instance with the conventions every server here shares: pino logs with request ids (one
 * line per answer: `debug` for 2xx/3xx, `info` for 4xx, `warn` for 5xx, whose cause the error handler logs),
 * TypeBox-typed routes, `/health`, `/ready` and `/metrics` (Prometheus text format: requests by route,
 * loops, runtime, and what plugins add to `app.metrics`), and JSON errors
 * that name the problem but never leak internals. Plugins register readiness checks with `app.readinessChecks.set(name, check)` and
 * background loops with `app.health.register(name, report)`.
 *
 * `/ready` answers 503 only when a dependency check fails (the server cannot serve traffic); its body
 * also names each loop and its state, which never changes the status: a broker outage leaves the
 * server in service. `/health` answers 503 when a loop is `stuck`, so an orchestrator restarts it.
 */
export function createServer({ name, logLevel = 'info', bodyLimit = 64 * 1024, trustProxy, frameworkErrors }: ServerOptions): App {
  const app = Fastify({
    logger: loggerOptions(name, logLevel),
    genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
    bodyLimit,
    logController: new AnswerLog(),
    // A consumer joining its group on a freshly formatted broker waits for the group coordinator to
    // load, which can take longer than Fastify's default 10 s for a plugin.
    pluginTimeout: 120_000,
    ...(trustProxy ? { trustProxy } : {}),
    ...(frameworkErrors ? { frameworkErrors } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings, params and headers arrive as text, so they are coerced (`?sku=A` becomes ['A']).
  // A JSON body is taken as sent: `"3"` is not a quantity and an unknown field is an error, not dropped.
  const coercing = validator({ coerceTypes: 'array', removeAdditional: true });
  const strict = validator({ coerceTypes: false, removeAdditional: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));

  // PostgreSQL's text cannot hold U+0000 ("invalid byte sequence"), so a NUL anywhere in a request's
  // input would surface as a 500 from whichever query stored it; it is refused here, once, for every route.
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [['body', req.body], ['query string', req.query], ['path', req.params]] as const) {
      const where = nulIn(value);
      // A plain error with a status, as Fastify's own body refusals are, so each app's handler answers it in its shape.
      if (where !== undefined) {
        const message = `The ${part} must not contain the NUL character (U+0000)${where ? ` (at ${where})` : ''}`;
        throw Object.assign(new Error(message), { statusCode: 400, code: 'NUL_CHARACTER' });
      }
    }
  });

  // The caller learns its trace from the answer (W3C Trace Context level 2 `traceresponse`), and the
  // server span is named by the route, not just the method, so Zipkin lists `POST /api/checkout`.
  app.addHook('onRequest', async (req, reply) => {
    const traceresponse = traceresponseOf();
    if (!traceresponse) return;
    reply.header('traceresponse', traceresponse);
    nameServerSpan(req.method, req.routeOptions.url);
  });

  app.decorate('readinessChecks', new Map<string, ReadinessCheck>());
  app.decorate('health', createHealthRegistry());

  // Prometheus scrapes the loops' health too, so a stuck relay or consumer shows in a metric.
  app.decorate('metrics', createMetrics(app.health, READY_CHECK_TIMEOUT_MS));
  serveMetrics(app, app.metrics);

  app.get('/health', async (_req, reply) => {
    const loops = await app.health.reports(READY_CHECK_TIMEOUT_MS);
    const stuck = Object.values(loops).some((report) => report.state === 'stuck');
    return reply.code(stuck ? 503 : 200).send({ status: stuck ? 'stuck' : 'ok', service: name, loops });
  });

  app.get('/ready', async (_req, reply) => {
    const loopReports = app.health.reports(READY_CHECK_TIMEOUT_MS);
    const results = await Promise.all(
      [...app.readinessChecks].map(async ([check, run]) => {
        try {
          await withTimeout(run(), READY_CHECK_TIMEOUT_MS);
          return [check, 'ok'] as const;
        } catch (err) {
          return [check, (err as Error).message || 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result === 'ok');
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'unavailable', service: name, checks: Object.fromEntries(results), loops: await loopReports,
    });
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      // ajv does not name an unexpected property in its message; the shopper's client needs to know which.
      const extra = err.validation.find((v) => v.keyword === 'additionalProperties')?.params.additionalProperty;
      return reply.code(400).send(errorBody(400, 'VALIDATION_FAILED', extra ? `${err.message}: '${extra}'` : err.message));
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    // An HttpError is an answer the code chose (503 "try again in 5 s"): its message is for the client, 5xx or not.
    const retryAfterS = (err as { retryAfterS?: unknown }).retryAfterS;
    if (typeof retryAfterS === 'number') reply.header('retry-after', String(retryAfterS));
    if (err instanceof HttpError) {
      if (status >= 500) req.log.warn({ err }, 'request refused: a dependency is unavailable');
      return reply.code(status).send(errorBody(status, err.code, err.message));
    }
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(status).send(errorBody(status, 'INTERNAL', `Something went wrong on our side (request ${req.id})`));
    }
    return reply.code(status).send(errorBody(status, err.code ?? 'BAD_REQUEST', err.message));
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`)),
  );

  return app as unknown as App;
}

/**
 * Fastify's request log, one line per answer instead of two per request (incoming, completed): each costs
 * a pino write on every page served. Healthy answers log at `debug`, 4xx at `info`, 5xx at `warn` (the
 * error handler logs their cause); a failed reply still logs as Fastify does.
 */
class AnswerLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, req, reply);
    const level = reply.statusCode >= 500 ? 'warn' : reply.statusCode >= 400 ? 'info' : 'debug';
    req.log[level]({ method: req.method, url: req.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  }
}

function validator(options: { coerceTypes: 'array' | false; removeAdditional: boolean }) {
  const ajv = new Ajv({ ...options, useDefaults: true, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export const errorBody = (statusCode: number, code: string, message: string) => ({
  statusCode,
  code,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
});

/** Listens, and closes the app (and with it every plugin's resources) on SIGINT/SIGTERM. */
export async function listen(app: App, port: number, host: string): Promise<void> {
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await stopTracing(); // the spans of the last requests
    } finally {
      clearTimeout(forced);
      process.exit(0);
    }
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port, host });
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

declare module 'fastify' {
  interface FastifyInstance {
    readinessChecks: Map<string, ReadinessCheck>;
    /** Background loops' health, for `/ready`'s body and `/health`'s status. */
    health: HealthRegistry;
  }
}

/** The path (`lines.0.city`; '' for the value itself) of the first string or key holding U+0000 in `value`, else undefined. */
function nulIn(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? at : undefined;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    if (key.includes('\0')) return path;
    const found = nulIn(inner, path);
    if (found !== undefined) return found;
  }
  return undefined;
}
