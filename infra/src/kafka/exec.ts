import { spawn } from 'node:child_process';

/** Runs a command to completion; a failure carries the tail of its output, which says why. */
export function run(what: string, cmd: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`kafka: ${what}: cannot run ${cmd}: ${err.message}`)));
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`kafka: ${what} failed (${cmd}: ${signal ?? `exit ${code}`}):\n${output}`)),
    );
  });
}
