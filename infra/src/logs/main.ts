/** `npm run logs [-- --trace <trace id>] [--json] [--dir <folder>]`: see `cli.ts`. */
import path from 'node:path';
import { repoRoot } from '../parts.ts';
import { logsCommand } from './cli.ts';

process.exitCode = await logsCommand(process.argv.slice(2), path.join(repoRoot, '.cache', 'logs'), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
