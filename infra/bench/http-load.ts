import autocannon from 'autocannon';
import { figures, type Figures } from './stats.ts';

export interface LoadResult extends Figures {
  /** Completed 2xx answers per second over the run. */
  rps: number;
  non2xx: number;
  errors: number;
  /** Mean answer size in bytes. */
  bytes: number;
}

/**
 * Closed-loop HTTP load with autocannon: `connections` keep-alive connections, each sending its next
 * request when the answer to the last one arrived, for `seconds` (after `warmupSeconds` not counted).
 * Latencies are autocannon's per-response timings (float ms), not its integer histogram, so that
 * one-connection figures keep their sub-millisecond part.
 */
export async function load(url: string, { connections, seconds, warmupSeconds = 2 }: { connections: number; seconds: number; warmupSeconds?: number }): Promise<LoadResult> {
  if (warmupSeconds > 0) await autocannon({ url, connections, duration: warmupSeconds });
  const samples: number[] = [];
  let bytes = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    setupClient: (client) => {
      client.on('response', (status: number, size: number, duration: number) => {
        if (status >= 200 && status < 300) {
          samples.push(duration);
          bytes += size;
        }
      });
    },
  });
  return { ...figures(samples), rps: samples.length / result.duration, non2xx: result.non2xx, errors: result.errors, bytes: samples.length ? bytes / samples.length : 0 };
}
