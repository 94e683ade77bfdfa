import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * A server process this one started and owns (a Kafka node, Zipkin, redis-server): it dies with this
 * process, stops gracefully, and can be waited on until it answers. One place for what every launcher
 * of a real server needs, so each launcher says only how to start its server and how to ask if it is up.
 */
export interface OwnedProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has ended, with how: a signal name, `exit <code>` or `could not start: <why>`. */
  readonly exited: Promise<string>;
  /** True until the process has ended. */
  running(): boolean;
  /**
   * Polls `answers` every `intervalMs` until it resolves true (`'up'`), the process ends (how it ended,
   * as `exited` says) or `timeoutMs` passes (`'timeout'`). Never throws; `answers` must not either.
   */
  waitUntil(answers: () => Promise<boolean>, timeoutMs: number, intervalMs?: number): Promise<string>;
  /** Sends `signal` at once, without the grace of `stop`, and resolves once the process has ended. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10,000); resolves once the process has ended. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Where the process's stdout and stderr go: a file (a pipe nobody drains would block a JVM), written anew
 * or appended to (a restart on the same storage), or pipes the caller reads.
 */
export type OwnedOutput = { file: string; append?: boolean } | 'pipe';

/**
 * Spawns `cmd args` as an owned process. On Linux `setpriv --pdeathsig` has the kernel signal it if this
 * process dies in any way, SIGKILL included; it is also sent SIGTERM on this process's exit, SIGINT and
 * SIGTERM (a signal only these hooks listen to is re-raised, so this process still ends as it would have).
 * Never throws: a command that cannot start shows as `exited` resolving `could not start: …`.
 */
export function startOwned(cmd: string, args: readonly string[], output: OwnedOutput): OwnedProcess {
  const child = spawnWithDeathSignal(cmd, args, output);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`));
    child.once('error', (err) => resolve(`could not start: ${err.message}`)); // e.g. no java on PATH
  });
  let ended: string | undefined;
  void exited.then((how) => { ended = how; });
  const release = killWithParent(child);
  const running = () => ended === undefined && child.exitCode === null && child.signalCode === null;

  const kill = async (signal: NodeJS.Signals) => {
    release();
    if (!running()) return;
    child.kill(signal);
    await exited;
  };

  return {
    child,
    exited,
    running,
    kill,
    async stop(graceMs = 10_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
    async waitUntil(answers, timeoutMs, intervalMs = 300) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (ended) return ended;
        if (await answers()) return 'up';
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
      return ended ?? 'timeout';
    },
  };
}

function spawnWithDeathSignal(cmd: string, args: readonly string[], output: OwnedOutput): ChildProcess {
  const out = output === 'pipe' ? undefined : openSync(output.file, output.append ? 'a' : 'w');
  const stdio = out === undefined ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', out, out] as const);
  try {
    return hasSetpriv() ? spawn('setpriv', ['--pdeathsig', 'TERM', cmd, ...args], { stdio: [...stdio] }) : spawn(cmd, [...args], { stdio: [...stdio] });
  } finally {
    if (out !== undefined) closeSync(out);
  }
}

let setprivChecked: boolean | undefined;
const hasSetpriv = () => (setprivChecked ??= process.platform === 'linux' && spawnSync('setpriv', ['--version']).status === 0);

/** Sends the child SIGTERM on this process's exit, SIGINT and SIGTERM; returns a function that removes the hooks. */
function killWithParent(child: ChildProcess): () => void {
  const onExit = () => child.kill('SIGTERM');
  const onSignal = (signal: NodeJS.Signals) => {
    child.kill('SIGTERM');
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
