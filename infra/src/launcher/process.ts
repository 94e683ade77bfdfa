import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const TAIL_LINES = 20;

/** A part's server process: its output goes to a log file, and the last lines are kept for reports. */
export interface RunningPart {
  name: string;
  child: ChildProcess;
  tail(): string[];
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts a part's server: `node <entry>` in `cwd` (its built JavaScript, see build-servers.ts), or
 * `command` with `args` (the load balancer), its output appended to `<logDir>/<name>.log`. Does not wait
 * for it to be ready.
 */
export function startPart(opts: { name: string; cwd: string; entry: string; env: Record<string, string>; logDir: string; command?: string; args?: string[] }): RunningPart {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = createWriteStream(path.join(opts.logDir, `${opts.name}.log`), { flags: 'a' });
  // Plain node on the built server: one process per part (no loader, no compiler beside it), signals go straight to it.
  const child = spawn(opts.command ?? process.execPath, opts.command ? (opts.args ?? []) : [opts.entry], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      logFile.write(`${line}\n`);
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => logFile.end());
  return {
    name: opts.name,
    child,
    tail: () => [...lines],
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `url` until it answers 200, the process exits, or the time is up. */
export async function waitUntilReady(url: string, part: RunningPart, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void part.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${part.name} exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${part.name} was not ready within ${timeoutMs / 1000} s (${url}: ${last})`);
}
