import { parseArgs } from 'node:util';
import path from 'node:path';
import { ReleaseError } from '@shop/frontend-server/release-manifest';
import { repoRoot } from '../parts.ts';
import { fragmentNamed, promote, releaseCanary, releasePathsFromEnv, rollback } from './release.ts';
import { shellProvidedVersions, shellSharing } from './shared-guard.ts';

// npm run release -- <fragment> --canary <percent> [--version <name>] | --promote | --rollback
// Exit codes: 0 done, 2 refused or bad input (nothing changed), 1 the build failed.

const usage = 'usage: npm run release -- <mfe-catalog|mfe-cart> --canary <percent 1..100> [--version <name>] | --promote | --rollback';

function fail(message: string, code: number): never {
  process.stderr.write(`release: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { canary: { type: 'string' }, promote: { type: 'boolean' }, rollback: { type: 'boolean' }, version: { type: 'string' } },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) fail(`name one fragment\n${usage}`, 2);
  const actions = [values.canary !== undefined, values.promote, values.rollback].filter(Boolean).length;
  if (actions !== 1) fail(`give exactly one of --canary <percent>, --promote, --rollback\n${usage}`, 2);
  // Silently ignored, it would leave someone believing they had promoted or rolled back to that version.
  if (values.version !== undefined && values.canary === undefined) fail(`--version names a new build: it goes with --canary\n${usage}`, 2);
  const name = positionals[0]!;
  const paths = releasePathsFromEnv();

  try {
    const fragment = fragmentNamed(name);
    if (values.canary !== undefined) {
      const percent = /^\d+$/.test(values.canary) ? Number(values.canary) : Number.NaN;
      if (!(percent >= 1 && percent <= 100)) throw new ReleaseError(`--canary takes a whole number of percent from 1 to 100, got "${values.canary}"`);
      // What the shell shares, from its federation config (loaded only here: it pulls in the Vite plugin).
      const { default: shellFederation } = await import('@shop/shell/module-federation.config');
      const sharedNames = Object.keys(shellFederation.shared ?? {});
      const provided = shellProvidedVersions(repoRoot, 'shell', sharedNames);
      process.stdout.write(`building ${fragment.workspace}…\n`);
      const build = await releaseCanary({
        fragment: name,
        percent,
        version: values.version,
        paths,
        provided,
        shellSharing: shellSharing(path.join(repoRoot, 'shell', 'dist')),
      });
      process.stdout.write(`${fragment.federationName} ${build.version} is the canary for ${percent}% of sessions (${build.entry})\nmanifest: ${paths.manifestPath}\n`);
    } else if (values.promote) {
      const stable = promote(name, paths).fragments[fragment.federationName]!.stable;
      process.stdout.write(`${fragment.federationName} ${stable.version} is stable now\n`);
    } else {
      const stable = rollback(name, paths).fragments[fragment.federationName]!.stable;
      process.stdout.write(`${fragment.federationName} is back on ${stable.version}; no canary\n`);
    }
  } catch (error) {
    if (error instanceof ReleaseError) fail(error.message, 2);
    fail(`the build failed, nothing was released: ${(error as Error).message}`, 1);
  }
}

await main();
