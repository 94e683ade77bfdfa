/** Figures of a series of timings (ms), and how the bench prints them. */

export interface Figures {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles of `samples` (ms); all zero for an empty series. */
export function figures(samples: number[]): Figures {
  if (samples.length === 0) return { n: 0, p50: 0, p99: 0, mean: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length, max: sorted.at(-1)! };
}

export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;

export const say = (line = '') => process.stdout.write(`${line}\n`);

/** Prints rows as a table with a header, columns padded to their widest cell (first left-aligned, the rest right). */
export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  say(line(header));
  for (const row of rows) say(line(row));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
