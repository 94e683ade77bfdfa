import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Servers a spec starts in place of the launcher's (a restarted bff-web, a fragment server it pauses)
 * are recorded by pid here, so they outlive the spec for the specs after it and are all stopped by the
 * suite's global teardown, whatever happened to the worker that started them.
 */
const REGISTRY = fileURLToPath(new URL('../../.cache/e2e-own-pids', import.meta.url));

/** Records a process the suite started, to be stopped at the end of the run. */
export function recordOwnProcess(pid: number): void {
  mkdirSync(path.dirname(REGISTRY), { recursive: true });
  appendFileSync(REGISTRY, `${pid}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one process by pid: resumes it first (it may be paused), SIGTERM, SIGKILL after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGCONT');
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited >= graceMs) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops every recorded process that is still one of our servers, then forgets them all. */
export async function stopOwnProcesses(): Promise<void> {
  if (!existsSync(REGISTRY)) return;
  const pids = readFileSync(REGISTRY, 'utf8').split('\n').filter(Boolean).map(Number);
  // A pid from a run that crashed before its teardown may belong to someone else by now.
  const ours = pids.filter((pid) => {
    try {
      // A server as a spec starts it: its TypeScript entry, or the built bundle `npm start` runs.
      return /server\.(ts|js)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
  await Promise.all(ours.map((pid) => stopProcess(pid)));
  rmSync(REGISTRY, { force: true });
}
