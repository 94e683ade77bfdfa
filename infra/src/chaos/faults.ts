/**
 * The fault matrix of `npm run chaos`: one entry per row of its table. Pure data; `inject.ts` carries them out.
 */

/** Services with a saga or relay the run starts; each gets a kill and a pause. */
export const SERVICES = ['catalog', 'inventory', 'identity', 'cart', 'orders', 'payments'] as const;
export const BFFS = ['bff-web', 'bff-mobile'] as const;
export const FRAGMENTS = ['mfe-catalog', 'mfe-cart'] as const;
/** Services with a PostgreSQL database of their own. */
export const DATABASES = ['catalog', 'inventory', 'identity', 'orders', 'payments'] as const;

export type Fault =
  | { name: string; kind: 'kafka-kill' }
  | { name: string; kind: 'kafka-stop'; holdMs: number }
  | { name: string; kind: 'part-kill'; part: string }
  | { name: string; kind: 'part-stop'; part: string; holdMs: number }
  | { name: string; kind: 'part-term'; part: string }
  | { name: string; kind: 'pg-cut'; database: string }
  | { name: string; kind: 'redis-kill' }
  | { name: string; kind: 'fragment-down'; part: string; holdMs: number }
  | { name: string; kind: 'fragment-hung'; part: string; holdMs: number };

export interface MatrixTiming {
  /** How long (ms) the broker stays paused (the issue asks for 30 s). */
  kafkaStopMs: number;
  /** How long (ms) a service stays paused: longer than the saga's step deadline. */
  serviceStopMs: number;
  /** How long (ms) a fragment server stays down or hung: longer than the shell's load budget (~8 s). */
  fragmentMs: number;
}

/** Every fault, in the order the full run injects them (broker first: it is the one the issue saw fail). */
export function faultMatrix(t: MatrixTiming): Fault[] {
  return [
    { name: 'kafka-kill', kind: 'kafka-kill' },
    { name: 'kafka-stop', kind: 'kafka-stop', holdMs: t.kafkaStopMs },
    ...SERVICES.flatMap((part): Fault[] => [
      { name: `${part}-kill`, kind: 'part-kill', part },
      { name: `${part}-stop`, kind: 'part-stop', part, holdMs: t.serviceStopMs },
    ]),
    ...BFFS.flatMap((part): Fault[] => [
      { name: `${part}-term`, kind: 'part-term', part },
      { name: `${part}-kill`, kind: 'part-kill', part },
    ]),
    ...DATABASES.map((database): Fault => ({ name: `pg-${database}`, kind: 'pg-cut', database })),
    { name: 'redis-kill', kind: 'redis-kill' },
    ...FRAGMENTS.flatMap((part): Fault[] => [
      { name: `${part}-down`, kind: 'fragment-down', part, holdMs: t.fragmentMs },
      { name: `${part}-hung`, kind: 'fragment-hung', part, holdMs: t.fragmentMs },
    ]),
  ];
}

/** A one-line description of a fault for `--list`. */
export function describeFault(f: Fault): string {
  const s = (ms: number) => `${ms / 1000} s`;
  switch (f.kind) {
    case 'kafka-kill': return 'SIGKILL the run\'s Kafka broker, then start it again';
    case 'kafka-stop': return `SIGSTOP the run's Kafka broker for ${s(f.holdMs)}`;
    case 'part-kill': return `SIGKILL ${f.part}, then start it again`;
    case 'part-stop': return `SIGSTOP ${f.part} for ${s(f.holdMs)} (past the saga's step deadline)`;
    case 'part-term': return `graceful restart of ${f.part} (SIGTERM, then start it again)`;
    case 'pg-cut': return `pg_terminate_backend on every connection to the run's ${f.database} database`;
    case 'redis-kill': return 'CLIENT KILL every Redis connection of the run\'s processes';
    case 'fragment-down': return `stop ${f.part}'s server for ${s(f.holdMs)} (connections refused)`;
    case 'fragment-hung': return `SIGSTOP ${f.part}'s server for ${s(f.holdMs)} (accepts, never answers)`;
  }
}
