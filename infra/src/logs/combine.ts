import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** One log line of one part, as `npm run logs` shows it. */
export interface LogLine {
  /** The part whose log file it is in (`bff-web`, `orders`, …). */
  part: string;
  /** Epoch ms of pino's `time`; lines without one (a stack trace, a tool's output) are not in any view. */
  time: number;
  /** The line as written (pino JSON). */
  raw: string;
  /** The parsed JSON object. */
  entry: Record<string, unknown>;
}

/** A W3C trace id: 32 lowercase hex digits, not all zero (W3C Trace Context). */
export const isTraceId = (id: string): boolean => /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id);

/**
 * Reads every `<part>.log` in `dir` (the launcher's `.cache/logs/`) and returns the JSON lines that carry a
 * time, ordered by time (lines of the same millisecond keep their order within a file), optionally only
 * those of one trace (`trace_id`). Throws when `dir` cannot be read.
 */
export async function combinedLog(dir: string, { traceId }: { traceId?: string } = {}): Promise<LogLine[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
  const lines: LogLine[] = [];
  for (const file of files) {
    const part = basename(file, '.log');
    for (const raw of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      const line = parse(part, raw);
      if (line && (!traceId || line.entry.trace_id === traceId)) lines.push(line);
    }
  }
  return lines.sort((a, b) => a.time - b.time); // stable: a file's order holds within one millisecond
}

function parse(part: string, raw: string): LogLine | undefined {
  if (!raw.startsWith('{')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { time } = entry as { time?: unknown };
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(ms) ? { part, time: ms, raw, entry: entry as Record<string, unknown> } : undefined;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SHOWN_ELSEWHERE = new Set(['time', 'level', 'msg', 'service', 'pid', 'hostname', 'trace_id', 'span_id', 'trace_flags']);

/**
 * One line for people: `<ISO time> <part> <LEVEL> <message> <span id> {other fields}`; the part's name is
 * padded to `width` so columns line up.
 */
export function formatLine(line: LogLine, width = 0): string {
  const { entry } = line;
  const level = LEVELS[entry.level as number] ?? String(entry.level ?? '');
  const rest = Object.fromEntries(Object.entries(entry).filter(([k]) => !SHOWN_ELSEWHERE.has(k)));
  const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const span = typeof entry.span_id === 'string' ? ` [span ${entry.span_id}]` : '';
  return `${new Date(line.time).toISOString()} ${line.part.padEnd(width)} ${level.padEnd(5)} ${String(entry.msg ?? '')}${span}${fields}`;
}
