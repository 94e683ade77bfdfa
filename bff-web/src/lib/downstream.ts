import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
} from 'cockatiel';
import type { FastifyBaseLogger } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Validator } from 'typebox/compile';

/** A downstream service answered in a way we cannot use (its status, or 502 for a body that breaks the contract). */
export class DownstreamError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DownstreamError';
  }
}

export interface DownstreamOptions {
  name: string;
  timeoutMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  logger: FastifyBaseLogger;
}

export type CircuitStatus = 'closed' | 'open' | 'half-open' | 'isolated';

/** One downstream service behind its own time budget and circuit breaker. */
export interface Downstream {
  readonly name: string;
  /** Runs `fn` within the budget; `signal` aborts when the budget is spent. Throws a DownstreamError on any failure. */
  call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  circuit(): CircuitStatus;
}

const CIRCUIT: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

// A 4xx is about our request, not the service's health, so it does not count against the circuit.
const countsAgainstCircuit = (err: Error) => !(err instanceof DownstreamError && err.status < 500);

export function createDownstream({ name, timeoutMs, breakerThreshold, halfOpenAfterMs, logger }: DownstreamOptions): Downstream {
  const breaker = circuitBreaker(handleWhen(countsAgainstCircuit), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerThreshold),
  });
  // Aggressive: the caller gets its answer at the deadline even if the socket lingers; the signal aborts the fetch.
  const budget = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  // Breaker outside the timeout, so a service that hangs trips the circuit as surely as one that refuses.
  const policy = wrap(breaker, budget);
  const log = logger.child({ downstream: name });
  breaker.onBreak(() => log.warn({ halfOpenAfterMs }, 'circuit opened: calls fail fast until a trial call succeeds'));
  breaker.onReset(() => log.info('circuit closed again'));

  return {
    name,
    async call(fn) {
      try {
        return await policy.execute(({ signal }) => fn(signal));
      } catch (err) {
        if (err instanceof DownstreamError) throw err;
        if (err instanceof BrokenCircuitError) throw new DownstreamError(name, 503, `${name} circuit is open`);
        if (err instanceof TaskCancelledError) throw new DownstreamError(name, 504, `${name} did not answer within ${timeoutMs} ms`);
        // fetch reports "fetch failed"; the useful part (ECONNREFUSED, …) is in its cause.
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        throw new DownstreamError(name, 503, `${name} is unreachable: ${cause ?? (err as Error).message}`);
      }
    },
    circuit: () => CIRCUIT[breaker.state],
  };
}

/**
 * GETs JSON and checks it against the contract schema. 404 resolves to null; any other non-2xx
 * or a body that breaks the contract throws, so a half-broken service never leaks into a page.
 */
export async function getJson<S extends TSchema>(
  service: string,
  url: URL,
  signal: AbortSignal | undefined,
  schema: Validator<{}, S>,
): Promise<Static<S> | null> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new DownstreamError(service, res.status, `${service} answered ${res.status} to GET ${url.pathname}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!schema.Check(body)) {
    const first = schema.Errors(body)[0];
    throw new DownstreamError(
      service,
      502,
      `${service} broke its contract on GET ${url.pathname}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not JSON'}`,
    );
  }
  return body as Static<S>;
}

/** For list endpoints, where a 404 means a misrouted call rather than an absent thing. */
export function found<T>(service: string, what: string, value: T | null): T {
  if (value === null) throw new DownstreamError(service, 502, `${service} answered 404 to ${what}`);
  return value;
}
