/** Command-line arguments of `npm run chaos`. */

export interface ChaosArgs {
  /** Fault names to run, in matrix order; empty means all of them. */
  only: string[];
  list: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run chaos [-- --only <fault>[,<fault>…]] [-- --list]
  --only <fault>   run only these rows (repeatable, or comma-separated)
  --list           print every fault name and what it does, then exit
`;

/** Thrown for arguments that cannot be understood; its message says which and how to fix it. */
export class UsageError extends Error {}

/**
 * Parses `argv` (without node and the script) against the known fault names. Throws a UsageError for an
 * unknown flag, a missing value or an unknown fault; `--only` names keep the matrix's order, without repeats.
 */
export function parseArgs(argv: readonly string[], faultNames: readonly string[]): ChaosArgs {
  const wanted = new Set<string>();
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--list') list = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--only') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError('--only needs a fault name (see --list)');
      for (const name of value.split(',').map((n) => n.trim()).filter(Boolean)) {
        if (!faultNames.includes(name)) throw new UsageError(`unknown fault "${name}"; --list shows the ${faultNames.length} names`);
        wanted.add(name);
      }
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  return { only: faultNames.filter((n) => wanted.has(n)), list, help };
}
