import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareSchemas } from '../src/contracts/compare.ts';
import type { JsonSchema } from '../src/contracts/json-schema.ts';
import { main } from '../src/contracts/main.ts';

// `npm run contracts` on fixtures: a made-up producer's contracts after one change each
// (test/fixtures/contracts), against a released snapshot in a temporary folder. The real contracts
// and their committed snapshot are checked by `npm test` itself (root test:all).
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/contracts/${name}.ts`, import.meta.url));

let released: string;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const check = (name: string) => run('check', '--contracts', fixture(name), '--released', released);

beforeAll(async () => {
  released = await mkdtemp(join(tmpdir(), 'contracts-'));
  const snap = await run('snapshot', '--contracts', fixture('base'), '--released', released);
  expect(snap.code).toBe(0);
});
afterAll(() => rm(released, { recursive: true, force: true }));

describe('npm run contracts -- snapshot', () => {
  test('records one JSON Schema per event type and version, named by its dataschema URI', async () => {
    expect((await readdir(released)).sort()).toEqual(['demo.widget.created', 'demo.widget.deleted']);
    const schema = JSON.parse(await readFile(join(released, 'demo.widget.created', '1.json'), 'utf8'));
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:shop:schema:demo.widget.created:1',
      type: 'object',
      required: ['widgetId', 'colour', 'parts'],
    });
  });

  test('records nothing while the check fails', async () => {
    const before = await readFile(join(released, 'demo.widget.created', '1.json'), 'utf8');
    const snap = await run('snapshot', '--contracts', fixture('field-removed'), '--released', released);
    expect(snap.code).toBe(1);
    expect(snap.err).toMatch(/nothing recorded/);
    expect(await readFile(join(released, 'demo.widget.created', '1.json'), 'utf8')).toBe(before);
  });
});

describe('npm run contracts -- check', () => {
  test('passes on the released contracts', async () => {
    const result = await check('base');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/2 event types \(2 versions\) compatible/);
  });

  test('fails naming the event and the field when a required field is removed', async () => {
    const result = await check('field-removed');
    expect(result.code).toBe(1);
    expect(result.err).toContain('demo.widget.created v1: field "widgetId": required field removed; breaking: raise the version to 2');
  });

  test('passes when an optional field is added, and says so', async () => {
    const result = await check('optional-added');
    expect(result.code).toBe(0);
    expect(result.out).toContain('demo.widget.created v1: field "label": optional field added');
  });

  test('passes when the version is raised and the consumers take both versions', async () => {
    const result = await check('raised');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('demo.widget.created: version raised from 1 to 2');
  });

  test('fails when the version is raised but a consumer no longer takes the previous one, naming it', async () => {
    const result = await check('raised-unconsumed');
    expect(result.code).toBe(1);
    expect(result.err).toContain('demo.widget.created: consumer widget-shop accepts version 2 but not 1');
  });

  test('fails when the version is raised and the previous one is taken out of the contracts at once', async () => {
    const result = await check('raised-dropped');
    expect(result.code).toBe(1);
    expect(result.err).toContain('demo.widget.created: version raised from 1 to 2, but version 1 is no longer in the contracts');
  });
});

describe('bad input', () => {
  test('an unknown command is a clear error with the usage, exit code 2', async () => {
    const result = await run('frob');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^contracts: unknown command "frob" \(expected check or snapshot\)/);
    expect(result.err).toContain('usage: npm run contracts -- <command>');
  });

  test('an unknown option, a missing value, no command, a module without contracts', async () => {
    expect((await run('check', '--force')).err).toMatch(/unknown option "--force"/);
    expect((await run('check', '--released')).err).toMatch(/--released needs a value/);
    expect(await run()).toMatchObject({ code: 2, err: expect.stringMatching(/no command given/) });
    const noContracts = await run('check', '--contracts', fixture('widgets'), '--released', released);
    expect(noContracts).toMatchObject({ code: 2, err: expect.stringMatching(/exports no EventContracts/) });
  });

  // A second process under a busy machine's load can take a while to start: a wider budget, no timing.
  test('the command line itself exits with the code and message', { timeout: 180_000 }, async () => {
    const cli = fileURLToPath(new URL('../src/contracts/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const failed = await promisify(execFile)(tsx, [cli, 'snapshots']).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/unknown command "snapshots"/);
  });
});

describe('the command line, as CI runs it', () => {
  const cli = fileURLToPath(new URL('../src/contracts/main.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const cliCheck = (name: string) =>
    promisify(execFile)(tsx, [cli, 'check', '--contracts', fixture(name), '--released', released]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  // `npm run contracts -- check` is this process: its exit code is what fails CI, so it is checked here too.
  test('exits 1 naming the event and the field when a required field is removed, 0 on an optional field or a raised version both consumed', { timeout: 180_000 }, async () => {
    const removed = await cliCheck('field-removed');
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain('demo.widget.created v1: field "widgetId": required field removed');
    const added = await cliCheck('optional-added');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('field "label": optional field added');
    const raised = await cliCheck('raised');
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain('demo.widget.created: version raised from 1 to 2');
  });
});

describe('compareSchemas', () => {
  const obj = (properties: JsonSchema, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required });
  const breaking = (a: JsonSchema, b: JsonSchema) => compareSchemas(a, b).filter((c) => c.breaking).map((c) => `${c.path}: ${c.change}`);

  test('names a changed type, a narrowed or widened enum, a newly required field and a changed constraint, with the field path', () => {
    const lines = (item: JsonSchema) => obj({ lines: { type: 'array', items: item } });
    expect(breaking(obj({ n: { type: 'integer' } }), obj({ n: { type: 'string' } }))).toEqual(['n: type changed from "integer" to "string"']);
    const status = (...values: string[]) => obj({ s: { anyOf: values.map((v) => ({ type: 'string', const: v })) } });
    expect(breaking(status('a', 'b'), status('a'))).toEqual(['s: enum narrowed: "b" no longer allowed']);
    expect(breaking(status('a'), status('a', 'b'))).toEqual(['s: enum widened: "b" added, which consumers of the released version reject']);
    expect(breaking(lines(obj({ sku: { type: 'string' } })), lines(obj({ sku: { type: 'string' }, qty: { type: 'integer' } }))))
      .toEqual(['lines[].qty: newly required field (events written before lack it)']);
    expect(breaking(obj({ n: { type: 'integer', minimum: 1 } }), obj({ n: { type: 'integer', minimum: 0 } })))
      .toEqual(['n: constraint minimum changed from 1 to 0']);
    expect(breaking(obj({ n: { type: 'integer' } }, []), obj({ n: { type: 'integer' } }))).toEqual(['n: field became required (events written before lack it)']);
  });

  test('takes descriptions and titles as no change', () => {
    expect(compareSchemas(obj({ n: { type: 'integer' } }), { ...obj({ n: { type: 'integer', description: 'why' } }), title: 't' })).toEqual([]);
  });
});
