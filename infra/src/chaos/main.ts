/**
 * `npm run chaos`: the storefront started as `npm start` starts it, but isolated (its own ports, broker,
 * databases and Redis database), under a steady mixed load, with one fault at a time. Prints one row per
 * fault and exits 1 when a number that must be zero is not. `--only <fault>` runs one row; `--list` names them.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, USAGE } from './args.ts';
import { describeFault, faultMatrix } from './faults.ts';
import { isolatedEnv, SAGA_STEP_DEADLINE_MS } from './isolation.ts';

const matrix = faultMatrix({ kafkaStopMs: 30_000, serviceStopMs: SAGA_STEP_DEADLINE_MS + 5_000, fragmentMs: 10_000 });

let args;
try {
  args = parseArgs(process.argv.slice(2), matrix.map((f) => f.name));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.list) {
  const width = Math.max(...matrix.map((f) => f.name.length));
  for (const f of matrix) process.stdout.write(`${f.name.padEnd(width)}  ${describeFault(f)}\n`);
  process.exit(0);
}

// Before parts.ts is loaded (so not imported above): it reads the ports from the environment once.
Object.assign(process.env, isolatedEnv(fileURLToPath(new URL('../../..', import.meta.url))));
delete process.env.KAFKA_BROKERS; // the run owns its broker: it kills and pauses it
const { runChaos } = await import('./run.ts');
const faults = args.only.length ? matrix.filter((f) => args.only.includes(f.name)) : matrix;
process.exit(await runChaos(faults));
