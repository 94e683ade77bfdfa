/**
 * `npm run test:all`'s last step: runs each workspace's `test` script in the root package's workspace
 * order, streaming its output as `npm run test --workspaces` would, and ends with a summary naming
 * every workspace that failed and the failing tests it printed; arguments, if any, pick workspaces. A CI log is often read from its tail:
 * the summary puts the cause there rather than thousands of lines above. Exits 1 if any workspace failed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './parts.ts';

interface Outcome {
  workspace: string;
  code: number;
  seconds: number;
  /** Lines the test runner printed about failures (vitest's `FAIL`/`×`, Playwright's `✘`/`[chromium] ›`). */
  failures: string[];
}

// Lines a failing vitest or Playwright run prints about each failed test or file.
const FAILURE_LINE = /(^\s*(FAIL|×|✘)\s)|(^\s*\d+\)\s.*›)|(^\s*\[\w+\] › .*:\d+:\d+)|Error: .*(timed out|Timed out)/;
const MAX_FAILURE_LINES = 15;

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { workspaces?: string[]; scripts?: Record<string, string> };

function runWorkspace(workspace: string): Promise<Outcome> {
  const started = Date.now();
  const failures: string[] = [];
  const child = spawn('npm', ['run', 'test', '--workspace', workspace], { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
  const watch = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream) => {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      sink.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      // eslint-disable-next-line no-control-regex
      for (const line of lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))) {
        if (FAILURE_LINE.test(line) && failures.length < MAX_FAILURE_LINES && !failures.includes(line.trim())) failures.push(line.trim());
      }
    });
  };
  watch(child.stdout!, process.stdout);
  watch(child.stderr!, process.stderr);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) =>
      resolve({ workspace, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000), failures }),
    );
  });
}

// Arguments, if any, pick workspaces (`tsx infra/src/test-workspaces.ts services/orders bff-web`).
const only = process.argv.slice(2);
const workspaces = (readJson(path.join(repoRoot, 'package.json')).workspaces ?? []).filter(
  (ws) => (only.length === 0 || only.includes(ws)) && readJson(path.join(repoRoot, ws, 'package.json')).scripts?.test,
);
const outcomes: Outcome[] = [];
for (const workspace of workspaces) outcomes.push(await runWorkspace(workspace));

const failed = outcomes.filter((o) => o.code !== 0);
process.stdout.write('\n== test summary (each workspace\'s `npm test`)\n');
for (const o of outcomes) {
  process.stdout.write(`${o.code === 0 ? '✓' : '✖'} ${o.workspace.padEnd(20)} ${String(o.seconds).padStart(4)} s${o.code === 0 ? '' : `  exit ${o.code}`}\n`);
  if (o.code !== 0) for (const line of o.failures) process.stdout.write(`      ${line}\n`);
}
process.stdout.write(failed.length === 0 ? 'all workspaces passed\n' : `${failed.length} workspace(s) failed: ${failed.map((o) => o.workspace).join(', ')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
