import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventContract } from '@shop/contracts/envelope';
import { checkContracts, type CheckResult, type ConsumerDeclaration, type ReleasedSchemas } from './check.ts';
import { releasedSchema, type JsonSchema } from './json-schema.ts';

/** Where the released JSON Schemas are committed: `<type>/<version>.json`, each `$id` its `dataschema` URI. */
export const RELEASED_DIR = fileURLToPath(new URL('../../../services/contracts/schemas/released', import.meta.url));

const USAGE = `usage: npm run contracts -- <command> [--released <dir>] [--contracts <module>]

commands:
  check      compare the event schemas with the released snapshot and what consumers accept;
             fails on a breaking change to a version that was not raised
  snapshot   record the current event schemas as released (refused while check fails)

options:
  --released <dir>      the released snapshot (default services/contracts/schemas/released)
  --contracts <module>  a module exporting EventContracts and consumers (default: the system's own)`;

/** A command line the tool cannot act on: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface Options {
  command: 'check' | 'snapshot';
  released: string;
  contracts?: string;
}

function parse(argv: readonly string[]): Options | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command !== 'check' && command !== 'snapshot') throw new UsageError(`unknown command "${command}" (expected check or snapshot)`);
  const options: Options = { command, released: RELEASED_DIR };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag !== '--released' && flag !== '--contracts') throw new UsageError(`unknown option "${flag}"`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag === '--released') options.released = resolve(value);
    else options.contracts = resolve(value);
  }
  return options;
}

/** Reads `<dir>/<type>/<version>.json`; an absent folder is an empty snapshot. */
async function readReleased(dir: string): Promise<ReleasedSchemas> {
  const released = new Map<string, Map<number, JsonSchema>>();
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const versions = new Map<number, JsonSchema>();
    for (const file of await readdir(join(dir, entry.name))) {
      const match = /^([1-9]\d*)\.json$/.exec(file);
      if (!match) throw new Error(`${join(dir, entry.name, file)}: not a released schema (expected <version>.json)`);
      versions.set(Number(match[1]), JSON.parse(await readFile(join(dir, entry.name, file), 'utf8')) as JsonSchema);
    }
    released.set(entry.name, versions);
  }
  return released;
}

async function loadSubject(module: string | undefined): Promise<{ contracts: readonly EventContract[]; consumers: ConsumerDeclaration[] }> {
  if (module === undefined) {
    const [{ EventContracts }, { systemConsumers }] = await Promise.all([
      import('@shop/contracts/events/registry'),
      import('./consumers.ts'),
    ]);
    return { contracts: EventContracts, consumers: await systemConsumers() };
  }
  const m = (await import(pathToFileURL(module).href)) as { EventContracts?: readonly EventContract[]; consumers?: ConsumerDeclaration[] };
  if (!Array.isArray(m.EventContracts)) throw new UsageError(`${module} exports no EventContracts`);
  return { contracts: m.EventContracts, consumers: m.consumers ?? [] };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Runs the contracts tool on `argv` (the words after `npm run contracts --`), writing to `out`/`err`.
 * Resolves with the exit code: 0 passed, 1 the check failed (each problem names the event type and the
 * field or consumer), 2 a bad command line.
 */
export async function main(argv: readonly string[], out = (line: string) => console.log(line), err = (line: string) => console.error(line)): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`contracts: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    out(USAGE);
    return 0;
  }
  let subject: Awaited<ReturnType<typeof loadSubject>>;
  try {
    subject = await loadSubject(options.contracts);
  } catch (e) {
    err(`contracts: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof UsageError ? 2 : 1;
  }
  const { contracts, consumers } = subject;
  const result: CheckResult = checkContracts(contracts, await readReleased(options.released), consumers);
  for (const note of result.notes) out(`  note: ${note}`);
  if (result.problems.length) {
    for (const problem of result.problems) err(`  ✗ ${problem}`);
    err(`contracts ${options.command}: ${plural(result.problems.length, 'problem')} against ${relative(process.cwd(), options.released) || '.'}` +
      (options.command === 'snapshot' ? '; nothing recorded' : ''));
    return 1;
  }
  const types = new Set(contracts.map((c) => c.type)).size;
  if (options.command === 'check') {
    out(`contracts check: ${plural(types, 'event type')} (${plural(contracts.length, 'version')}) compatible with the released snapshot; ` +
      `${plural(consumers.length, 'consumer')} accept every version in circulation`);
    return 0;
  }
  let written = 0;
  for (const contract of contracts) {
    const dir = join(options.released, contract.type);
    const file = join(dir, `${contract.version}.json`);
    const text = `${JSON.stringify(releasedSchema(contract), null, 2)}\n`;
    if ((await readFile(file, 'utf8').catch(() => undefined)) === text) continue;
    await mkdir(dir, { recursive: true });
    await writeFile(file, text);
    out(`  recorded ${relative(process.cwd(), file)}`);
    written++;
  }
  out(`contracts snapshot: ${plural(written, 'schema')} recorded, ${contracts.length - written} unchanged, in ${relative(process.cwd(), options.released) || '.'}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
