import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DownstreamError } from '@shop/platform/clients/downstream';
import { MobileError, problemSlug, validationFailed, type FieldProblem, type ProblemCode } from '../errors.ts';
import type { Problem } from '../schemas/problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** One field problem per invalid place: missing and unexpected properties are named, not their parent. */
export function fieldProblems(issues: readonly ValidationIssue[], part: string | undefined): FieldProblem[] {
  const out = new Map<string, FieldProblem>();
  const add = (path: string, detail: string) => {
    let problem: FieldProblem;
    if (part === 'body') problem = { pointer: `#${path}`, detail };
    else {
      const name = unescapePointer(path.split('/')[1] ?? '');
      problem = part === 'headers' ? { header: name, detail } : { parameter: name, detail };
    }
    const key = `${problem.pointer ?? problem.parameter ?? problem.header}\u0000${detail}`;
    if (!out.has(key)) out.set(key, problem);
  };
  for (const issue of issues) {
    const path = issue.instancePath ?? '';
    const listed = (name: string) => (Array.isArray(issue.params?.[name]) ? (issue.params[name] as string[]) : []);
    if (issue.keyword === 'required') for (const prop of listed('requiredProperties')) add(`${path}/${prop}`, 'is required');
    else if (issue.keyword === 'additionalProperties') for (const prop of listed('additionalProperties')) add(`${path}/${prop}`, 'is not allowed');
    else if (issue.keyword === 'boolean') continue; // TypeBox's echo of additionalProperties: false, reported above
    else add(path, issue.message ?? 'is invalid');
  }
  if (out.size === 0) add('', 'is invalid');
  return [...out.values()];
}

/** Fastify's own errors that are the caller's doing, as our codes. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'MOBILE_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MOBILE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MOBILE_MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MOBILE_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MOBILE_MALFORMED_BODY',
};

const FASTIFY_DETAILS: Partial<Record<ProblemCode, string>> = {
  MOBILE_BODY_TOO_LARGE: 'The request body is larger than this API accepts',
  MOBILE_UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json',
  MOBILE_MALFORMED_BODY: 'The request body could not be read as JSON',
};

/** What a downstream's failure means to the app: which part of the shop is unavailable. */
const SERVICE_WORDS: Record<string, string> = {
  catalog: 'The catalog',
  inventory: 'Stock information',
  cart: 'The cart',
  orders: 'Ordering',
  payments: 'Payment',
  identity: 'Sign-in',
};

/** Turns anything thrown into a MobileError; internals of 5xx failures never reach the app. */
export function toMobileError(err: FastifyError | Error, req: FastifyRequest): MobileError {
  if (err instanceof MobileError) return err;
  const fastifyErr = err as FastifyError;
  if (fastifyErr.validation) return validationFailed(fieldProblems(fastifyErr.validation as ValidationIssue[], fastifyErr.validationContext));
  const mapped = fastifyErr.code ? FASTIFY_CODES[fastifyErr.code] : undefined;
  if (mapped) return new MobileError(mapped, FASTIFY_DETAILS[mapped] ?? err.message);
  if (err instanceof DownstreamError) {
    // A refusal no route expected means we sent something the service does not accept: our fault, not the app's.
    if (err.status < 500) req.log.error({ err }, 'unexpected refusal from a downstream service');
    else req.log.warn({ service: err.service, status: err.status, msg: err.message }, 'downstream service failed');
    // A service shedding a burst says when to come back: relayed as it is, so the app waits that long.
    if (err.status === 503 && err.retryAfterS !== undefined) {
      const retryAfterS = Math.max(1, err.retryAfterS ?? 1);
      return new MobileError('MOBILE_SERVICE_UNAVAILABLE', `${SERVICE_WORDS[err.service] ?? 'A service'} is busy right now. Please try again in ${retryAfterS} s.`, {
        retryAfterS,
      });
    }
    return new MobileError('MOBILE_SERVICE_UNAVAILABLE', `${SERVICE_WORDS[err.service] ?? 'A service'} is unavailable right now. Please try again shortly.`, {
      retryAfterS: 5,
    });
  }
  const status = fastifyErr.statusCode ?? 500;
  if (status === 404) return new MobileError('MOBILE_ROUTE_NOT_FOUND', err.message);
  if (status >= 400 && status < 500) return new MobileError('MOBILE_BAD_REQUEST', err.message, { status });
  req.log.error({ err }, 'request failed');
  return new MobileError('MOBILE_INTERNAL', `Something went wrong on our side (request ${req.id})`);
}

export function sendProblem(reply: FastifyReply, typeBase: string, err: MobileError): FastifyReply {
  const req = reply.request;
  const body: Problem = {
    type: typeBase + problemSlug(err.code),
    title: err.title,
    status: err.status,
    detail: err.message,
    instance: req.url.split('?')[0],
    code: err.code,
    ...(err.extras.errors ? { errors: err.extras.errors } : {}),
  };
  if (err.extras.retryAfterS !== undefined && !reply.hasHeader('retry-after')) reply.header('retry-after', String(err.extras.retryAfterS));
  for (const [name, value] of Object.entries(err.extras.headers ?? {})) reply.header(name, value);
  // An error is never cached, and a client's If-None-Match does not turn it into a 304.
  reply.header('cache-control', 'no-store');
  return reply.code(err.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Every error and unknown route of the scope it is registered in, as RFC 9457 problem+json. */
export const problemsPlugin = fp<{ typeBase: string }>(
  async (app, { typeBase }) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const problem = toMobileError(err, req);
      if (problem.status >= 500 && problem.code !== 'MOBILE_INTERNAL') req.log.warn({ code: problem.code }, problem.message);
      return sendProblem(reply, typeBase, problem);
    });
    app.setNotFoundHandler((req, reply) =>
      sendProblem(reply, typeBase, new MobileError('MOBILE_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`)),
    );
  },
  { name: 'mobile-problems' },
);
