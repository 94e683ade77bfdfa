import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { recordOwnProcess, stopProcess } from './own-processes.ts';

/** Restarts bff-web the way a deploy does: SIGTERM to the running one, then a new process in its place. */

export const BFF_WEB_PORT = Number(process.env.BFF_WEB_PORT ?? 4000);

/** How a process was started: enough to start another one just like it. */
export interface ProcessSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The pid listening on `port` (tcp), or undefined when none does. */
export function pidListeningOn(port: number): number | undefined {
  try {
    const out = execFileSync('fuser', [`${port}/tcp`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(out.trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // nothing listens
  }
}

/**
 * Stops the bff-web listening on `port` with SIGTERM (a graceful shutdown) and waits until it exited.
 * Returns how it was started (command line, folder and the environment the launcher gave it), read
 * from /proc, so `startLike` can start its replacement exactly alike. Throws when nothing listens.
 */
export async function stopBffWeb(port = BFF_WEB_PORT): Promise<ProcessSpec> {
  const pid = pidListeningOn(port);
  if (!pid) throw new Error(`nothing listens on port ${port}`);
  const spec: ProcessSpec = {
    argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean),
    cwd: readlinkSync(`/proc/${pid}/cwd`),
    env: Object.fromEntries(
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    ),
  };
  await stopProcess(pid);
  return spec;
}

/**
 * Starts a process like `spec` (output discarded), records it to be stopped at the end of the run
 * and waits until `readyUrl` answers 200. Returns its pid; throws if it exits or is not ready in time.
 */
export async function startLike(spec: ProcessSpec, readyUrl: string): Promise<number> {
  const [command, ...args] = spec.argv;
  const child = spawn(command!, args, { cwd: spec.cwd, env: spec.env, stdio: 'ignore' });
  recordOwnProcess(child.pid!);
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(readyUrl, { signal: AbortSignal.timeout(1000) })).ok) return child.pid!;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${spec.argv.join(' ')} did not become ready at ${readyUrl}`);
}
