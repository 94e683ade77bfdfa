import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import type { LiveEventSource } from './event-source.ts';
import { forVersion, type AcceptedVersion } from './event-versions.ts';
import { explain } from './explain.ts';
import type { KafkaLogger } from './kafka/client.ts';
import type { LoopReport } from './health.ts';

/** A handled event type whose data breaks its contract: thrown so the consumer retries, then dead-letters it. */
export class InvalidLiveEvent extends Error {
  override name = 'InvalidLiveEvent';
}

/** One event type and data schema version a live hub acts on, and what to do with a valid event of it. */
export interface LiveRoute extends AcceptedVersion {
  accept(event: CloudEvent): Promise<void>;
}

/**
 * Routes events of `type` in data schema version `version` (default 1) whose envelope matches `schema`
 * (a TypeBox CloudEvent schema from contracts) to `handle`; the returned route throws InvalidLiveEvent,
 * naming the first violation, for any other envelope.
 */
export function onEvent<T extends TSchema>(
  type: string,
  schema: T,
  handle: (event: Static<T>) => Promise<void> | void,
  { version = 1 }: { version?: number } = {},
): LiveRoute {
  const check = Compile(schema);
  return {
    type,
    version,
    async accept(event) {
      if (!check.Check(event)) throw new InvalidLiveEvent(`${event.type} ${event.id}: ${explain(check, event)}`);
      await handle(event as Static<T>);
    },
  };
}

/** A live hub's event handler; `accepts` lists the types and versions it takes, for the contracts check. */
export type LiveEventHandler = ((event: CloudEvent) => Promise<void>) & { accepts: readonly AcceptedVersion[] };

/**
 * One handler for all `routes`, keyed by event type and data schema version; events of any other type are
 * ignored (not for this hub). An event of a routed type in a version no route takes throws
 * `UnsupportedEventVersion` (the consumer retries, then dead-letters it).
 */
export function liveEventHandler(routes: LiveRoute[]): LiveEventHandler {
  const byType = new Map<string, LiveRoute[]>();
  for (const route of routes) byType.set(route.type, [...(byType.get(route.type) ?? []), route]);
  const handle = async (event: CloudEvent) => {
    const candidates = byType.get(event.type);
    if (candidates) await forVersion(event, candidates).accept(event);
  };
  return Object.assign(handle, { accepts: routes.map(({ type, version }) => ({ type, version })) });
}

/** off: no source configured; starting: connecting (retrying); running: events flow; stopped: closed. */
export type LiveIntakeState = 'off' | 'starting' | 'running' | 'stopped';

export interface LiveIntakeOptions {
  /** null: nothing is consumed; the intake stays `off` and never blocks readiness. */
  source: LiveEventSource | null;
  handle(event: CloudEvent): Promise<void>;
  log: KafkaLogger;
  /** Backoff between start attempts (ms): from `initialDelayMs` doubling up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A live hub's event intake: started in the background with retry, reporting its state, stopped once. */
export interface LiveIntake {
  /** Starts consuming in the background, retrying for ever until it runs or `stop` is called; once only. */
  start(): void;
  /** Stops consuming (the consumer leaves its group); a start still in progress stops itself when it lands. Never throws. */
  stop(): Promise<void>;
  state(): LiveIntakeState;
  /**
   * The intake as a background loop for `app.health`: `ok` while events flow (or it is off) and its
   * source answers, else `degraded`, naming the intake's state and the source's failure.
   */
  health(): Promise<LoopReport>;
  /** A `/ready` check: resolves while running (or off), throws naming the state otherwise. */
  check(): Promise<void>;
}

/**
 * Creates the intake both BFFs' live hubs share. Pages and apps are served while Kafka is still coming up;
 * `state()` says when updates flow. Retries use cockatiel's exponential backoff, unref'd so a pending retry
 * never keeps a closed app's process alive.
 */
export function createLiveIntake({ source, handle, log, initialDelayMs = 500, maxDelayMs = 15_000 }: LiveIntakeOptions): LiveIntake {
  let state: LiveIntakeState = source ? 'starting' : 'off';
  let running: { stop(): Promise<void> } | undefined;
  let starting: Promise<void> | undefined;
  const closing = new AbortController();

  return {
    start() {
      if (!source || starting || closing.signal.aborted) return;
      const policy = retry(handleAll, {
        maxAttempts: Infinity,
        backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
      }).dangerouslyUnref();
      policy.onRetry((reason) => log.warn({ err: 'error' in reason ? reason.error : undefined }, 'live event consumer failed to start; retrying'));
      starting = policy
        .execute(async ({ signal }) => {
          if (signal.aborted) throw new Error('shutting down');
          const started = await source.start(handle);
          if (signal.aborted) return started.stop(); // closed while we were connecting
          running = started;
          state = 'running';
          log.info('live event consumer running');
        }, closing.signal)
        .catch(() => undefined); // only ends this way on shutdown
    },
    async stop() {
      closing.abort();
      state = source ? 'stopped' : 'off';
      await running?.stop().catch((err: unknown) => log.error({ err }, 'stopping the live event consumer failed'));
      running = undefined;
    },
    state: () => state,
    async health() {
      const flowing = state === 'running' || state === 'off';
      const reach = state === 'off' ? undefined : await source?.health?.();
      const reachable = !reach || reach.state === 'ok';
      return {
        state: flowing && reachable ? 'ok' : 'degraded',
        intake: state,
        ...(reachable ? {} : { source: reach.error ?? reach.state }),
      };
    },
    async check() {
      if (state !== 'running' && state !== 'off') throw new Error(`live event consumer is ${state === 'starting' ? 'not running yet' : state}`);
    },
  };
}
