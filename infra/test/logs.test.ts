import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsCommand } from '../src/logs/cli.ts';

// `npm run logs` over log files laid out as the launcher writes them: the command's own code in process,
// and once the script itself as npm runs it.
const script = fileURLToPath(new URL('../src/logs/main.ts', import.meta.url));
const logs = async (...args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await logsCommand(args, join(tmpdir(), 'no-such-logs'), { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { code, stdout, stderr };
};
const logsScript = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER = '00f067aa0ba902b700f067aa0ba902b7';
const line = (time: string, msg: string, traceId?: string, spanId = 'a3ce929d0e0e4736') =>
  JSON.stringify({ level: 30, time, service: 'x', msg, ...(traceId ? { trace_id: traceId, span_id: spanId } : {}) });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logs-test-'));
  await writeFile(join(dir, 'bff-web.log'), [
    line('2026-01-01T10:00:00.100Z', 'checkout asked', TRACE),
    line('2026-01-01T10:00:00.900Z', 'order pushed to the page', TRACE),
    line('2026-01-01T10:00:00.950Z', 'catalog page', OTHER),
  ].join('\n') + '\n');
  await writeFile(join(dir, 'orders.log'), [
    'a line that is not JSON (a stack trace, say)',
    line('2026-01-01T10:00:00.200Z', 'order placed', TRACE),
    line('2026-01-01T10:00:00.700Z', 'order confirmed', TRACE),
    line('2026-01-01T09:59:59.000Z', 'relay leading'),
  ].join('\n') + '\n');
  await writeFile(join(dir, 'inventory.log'), `${line('2026-01-01T10:00:00.400Z', 'stock reserved', TRACE)}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run logs', () => {
  it('prints every line of one trace across all parts, in time order, and nothing else', async () => {
    const { code, stdout } = await logs('--dir', dir, '--trace', TRACE);
    expect(code).toBe(0);
    const shown = stdout.trim().split('\n');
    expect(shown.map((l) => l.split(/\s+/).slice(1, 2)[0])).toEqual(['bff-web', 'orders', 'inventory', 'orders', 'bff-web']);
    expect(shown.map((l) => l.match(/INFO\s+(.*?) \[span/)?.[1])).toEqual([
      'checkout asked', 'order placed', 'stock reserved', 'order confirmed', 'order pushed to the page',
    ]);
  });

  it('accepts an upper-case trace id and prints the raw JSON lines with --json', async () => {
    const { code, stdout } = await logs('--dir', dir, '--trace', TRACE.toUpperCase(), '--json');
    expect(code).toBe(0);
    const entries = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; trace_id: string });
    expect(entries).toHaveLength(5);
    expect(new Set(entries.map((e) => e.trace_id))).toEqual(new Set([TRACE]));
  });

  it('without --trace, combines every part into one time-ordered view', async () => {
    const { code, stdout } = await logs('--dir', dir);
    expect(code).toBe(0);
    const shown = stdout.trim().split('\n');
    expect(shown).toHaveLength(7);
    expect(shown[0]).toContain('relay leading');
    expect(shown.at(-1)).toContain('catalog page');
    expect(stdout).not.toContain('not JSON');
  });

  it('says what is wrong with bad arguments and exits 2', async () => {
    const bad = await logs('--dir', dir, '--trace', 'not-a-trace');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trace wants a W3C trace id');
    const unknown = await logs('--dir', dir, '--tarce', TRACE);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--tarce'/);
    const missing = await logs('--dir', dir, '--trace');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'--trace");
    const nowhere = await logs('--dir', join(dir, 'nope'));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no logs in');
  });

  it('runs as a script: the trace\'s lines on stdout, exit code 0; a bad id exits 2', async () => {
    const good = await logsScript('--dir', dir, '--trace', TRACE);
    expect(good.code).toBe(0);
    expect(good.stdout.trim().split('\n')).toHaveLength(5);
    const bad = await logsScript('--dir', dir, '--trace', '123');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trace wants a W3C trace id');
  }, 180_000);

  it('says so when no line belongs to the trace', async () => {
    const { code, stderr } = await logs('--dir', dir, '--trace', 'ffffffffffffffffffffffffffffffff');
    expect(code).toBe(1);
    expect(stderr).toContain('no line of trace ffffffffffffffffffffffffffffffff');
  });
});
