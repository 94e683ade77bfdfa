/** `npm run dlq`: see `runDlq` in dlq.ts. */
import { runDlq } from './dlq.ts';

process.exit(await runDlq(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}));
