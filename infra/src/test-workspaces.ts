/**
 * `npm run test:all`'s last step: runs each workspace's `test` script, TEST_CONCURRENCY (default 2) at a
 * time in the root package's workspace order — their tests mostly wait on Kafka, PostgreSQL and Redis,
 * each in topics, databases and key prefixes of its own — then the end-to-end suite alone (it runs the
 * whole system). Each workspace's output is printed whole when it ends, and the run ends with a summary
 * naming every workspace that failed and the failing tests it printed: a CI log is often read from its
 * tail. Arguments, if any, pick workspaces. Exits 1 if any workspace failed.
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

/** Runs one workspace's tests; `stream` passes its output straight through, else it is printed whole at the end. */
function runWorkspace(workspace: string, stream: boolean): Promise<Outcome> {
  const started = Date.now();
  const failures: string[] = [];
  const held: Buffer[] = [];
  const child = spawn('npm', ['run', 'test', '--workspace', workspace], { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
  const watch = (source: NodeJS.ReadableStream, sink: NodeJS.WriteStream) => {
    let partial = '';
    source.on('data', (chunk: Buffer) => {
      if (stream) sink.write(chunk);
      else held.push(chunk);
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
    child.once('close', (code, signal) => {
      if (!stream) process.stdout.write(Buffer.concat([Buffer.from(`\n== ${workspace}\n`), ...held]));
      resolve({ workspace, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000), failures });
    });
  });
}

// Arguments, if any, pick workspaces (`tsx infra/src/test-workspaces.ts services/orders bff-web`).
const only = process.argv.slice(2);
const workspaces = (readJson(path.join(repoRoot, 'package.json')).workspaces ?? []).filter(
  (ws) => (only.length === 0 || only.includes(ws)) && readJson(path.join(repoRoot, ws, 'package.json')).scripts?.test,
);
const concurrency = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2) || 1);
// The end-to-end suite starts the whole system and a browser: it runs last, alone, its output streamed.
const alone = (ws: string) => ws === 'e2e';
const byWorkspace = new Map<string, Outcome>();
const queue = workspaces.filter((ws) => !alone(ws));
await Promise.all(
  Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let ws = queue.shift(); ws !== undefined; ws = queue.shift()) byWorkspace.set(ws, await runWorkspace(ws, concurrency === 1));
  }),
);
for (const ws of workspaces.filter(alone)) byWorkspace.set(ws, await runWorkspace(ws, true));
const outcomes = workspaces.map((ws) => byWorkspace.get(ws)!);

const failed = outcomes.filter((o) => o.code !== 0);
process.stdout.write('\n== test summary (each workspace\'s `npm test`)\n');
for (const o of outcomes) {
  process.stdout.write(`${o.code === 0 ? '✓' : '✖'} ${o.workspace.padEnd(20)} ${String(o.seconds).padStart(4)} s${o.code === 0 ? '' : `  exit ${o.code}`}\n`);
  if (o.code !== 0) for (const line of o.failures) process.stdout.write(`      ${line}\n`);
}
process.stdout.write(failed.length === 0 ? 'all workspaces passed\n' : `${failed.length} workspace(s) failed: ${failed.map((o) => o.workspace).join(', ')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
