/** How a background loop (outbox relay, consumer, live intake) is doing. */
export type LoopState = 'ok' | 'degraded' | 'stuck';

/**
 * A loop's report: `ok`; `degraded` (failing or failed recently, and expected to recover by itself);
 * `stuck` (it will not recover without a restart: `/health` then fails). Other fields are details
 * for operators (times in ms).
 */
export interface LoopReport {
  state: LoopState;
  [detail: string]: unknown;
}

/** Reports a loop's state now; may query what it needs (the server bounds the wait). */
export type LoopHealth = () => LoopReport | Promise<LoopReport>;

/** The loops a server runs, by name, each with its report. */
export interface HealthRegistry {
  /** Adds (or replaces) the loop `name`; returns a function that removes it. */
  register(name: string, health: LoopHealth): () => void;
  /** Every loop's report; one that throws or outlasts `timeoutMs` is `degraded` with the reason. */
  reports(timeoutMs: number): Promise<Record<string, LoopReport>>;
}

/** An empty registry; `createServer` decorates every app with one as `app.health`. */
export function createHealthRegistry(): HealthRegistry {
  const loops = new Map<string, LoopHealth>();
  return {
    register(name, health) {
      loops.set(name, health);
      return () => {
        if (loops.get(name) === health) loops.delete(name);
      };
    },
    async reports(timeoutMs) {
      const entries = await Promise.all(
        [...loops].map(async ([name, health]): Promise<[string, LoopReport]> => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no report within ${timeoutMs} ms`)), timeoutMs);
          });
          try {
            return [name, await Promise.race([Promise.resolve().then(health), late])];
          } catch (err) {
            return [name, { state: 'degraded', error: (err as Error).message || 'report failed' }];
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      return Object.fromEntries(entries);
    },
  };
}
