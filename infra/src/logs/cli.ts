import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { combinedLog, formatLine, isTraceId } from './combine.ts';

export const USAGE = 'usage: npm run logs [-- --trace <32-hex trace id>] [--json] [--dir <log folder>]';

/** Where output goes: the process's streams, or a test's buffers. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `npm run logs` on `args` (what follows `--`): writes the combined, time-ordered view of every part's log in
 * `defaultDir` (or `--dir`), only the lines of one trace with `--trace <id>`, the lines as written with `--json`.
 * Returns the exit code: 0 with lines shown, 1 when none matched, 2 for bad arguments or a missing folder
 * (a message naming the problem and the usage on `err`).
 */
export async function logsCommand(args: string[], defaultDir: string, io: Output): Promise<number> {
  const fail = (message: string) => {
    io.err(`logs: ${message}\n${USAGE}\n`);
    return 2;
  };
  let options: { trace?: string; json?: boolean; dir?: string; help?: boolean };
  try {
    ({ values: options } = parseArgs({
      args,
      options: {
        trace: { type: 'string' },
        json: { type: 'boolean' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (options.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const traceId = options.trace?.toLowerCase();
  if (traceId !== undefined && !isTraceId(traceId)) {
    return fail(`--trace wants a W3C trace id (32 hex digits, not all zero), got "${options.trace}"`);
  }
  const dir = path.resolve(options.dir ?? defaultDir);
  if (!existsSync(dir)) return fail(`no logs in ${dir}: \`npm start\` writes them there (or name a folder with --dir)`);

  const lines = await combinedLog(dir, { traceId });
  if (lines.length === 0) {
    io.err(traceId ? `logs: no line of trace ${traceId} in ${dir}\n` : `logs: no log lines in ${dir}\n`);
    return 1;
  }
  const width = Math.max(...lines.map((l) => l.part.length));
  io.out(lines.map((line) => `${options.json ? line.raw : formatLine(line, width)}\n`).join(''));
  return 0;
}
