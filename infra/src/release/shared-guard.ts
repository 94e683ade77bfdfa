import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * The shared-dependency guard: a fragment's build may only be released when every singleton it
 * shares (React, react-dom, the router, …) is one the shell provides in a version the fragment accepts;
 * otherwise the page would run the fragment against a React it was not built for.
 */

/** A `shared` entry of a Module Federation 2 manifest (`mf-manifest.json`), the fields the guard reads. */
export interface SharedRequirement {
  name: string;
  version?: string;
  requiredVersion?: string | false;
  singleton?: boolean;
  /** Present when the module is shared tree-shaken: the names its container holds (and the build uses). */
  usedExports?: string[];
}

/**
 * How the shell's build shares each singleton: shared name (`react-router`, `react-dom/client`) → the names
 * its tree-shaken container holds, or `null` when it shares the whole module. From its `mf-manifest.json`.
 */
export type ShellSharing = Readonly<Record<string, readonly string[] | null>>;

/** `react/jsx-runtime` → `react`, `@tanstack/react-query/x` → `@tanstack/react-query`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * What the fragment (federation name `fragment`) needs that the shell cannot give: one message per
 * singleton whose `requiredVersion` the shell's version (`provided`, package name → version) does not
 * satisfy, e.g. "mfe_catalog needs react ^18.2.0 but the shell provides 19.3.1". Singletons the shell
 * does not share are the fragment's own business. Pure; an empty list means compatible.
 */
export function sharedMismatches(
  fragment: string,
  shared: readonly SharedRequirement[],
  provided: Readonly<Record<string, string>>,
  shellSharing?: ShellSharing,
): string[] {
  const problems = new Set<string>();
  for (const entry of shared) {
    if (!entry.singleton) continue;
    const problem = shellSharing && sharingMismatch(fragment, entry, shellSharing);
    if (problem) problems.add(problem);
    const pkg = packageOf(entry.name);
    const have = provided[pkg];
    if (have === undefined) continue;
    const range = entry.requiredVersion || '*';
    if (!semver.validRange(range)) {
      problems.add(`${fragment} needs ${pkg} "${range}", which is not a version range (the shell provides ${have})`);
    } else if (!semver.satisfies(have, range, { includePrerelease: true })) {
      problems.add(`${fragment} needs ${pkg} ${range} but the shell provides ${have}`);
    }
  }
  return [...problems];
}

/**
 * A fragment gets the shell's copy of a singleton only when both share it alike: whole, or tree-shaken with
 * every name the fragment uses in the shell's container. Otherwise the federation runtime hands the fragment
 * a second copy (a second router whose context the shell never fills): the message says which, or undefined.
 */
function sharingMismatch(fragment: string, entry: SharedRequirement, shellSharing: ShellSharing): string | undefined {
  if (!(entry.name in shellSharing)) return undefined;
  const shellNames = shellSharing[entry.name] ?? null;
  const names = entry.usedExports;
  if (shellNames === null) return names ? `${fragment} shares ${entry.name} tree-shaken but the shell shares it whole` : undefined;
  if (!names) return `${fragment} shares ${entry.name} whole but the shell shares it tree-shaken`;
  const provided = new Set(shellNames);
  const missing = names.filter((name) => !provided.has(name));
  return missing.length > 0 ? `${fragment} needs ${missing.join(', ')} of ${entry.name}, which the shell's build does not provide` : undefined;
}

/**
 * How the shell's build at `shellDist` (a directory holding its `mf-manifest.json`) shares each singleton, or
 * undefined when there is no build there (the launcher builds one from the same sources). Throws on a manifest
 * that cannot be parsed.
 */
export function shellSharing(shellDist: string): ShellSharing | undefined {
  const file = path.join(shellDist, 'mf-manifest.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { shared?: SharedRequirement[] };
  return Object.fromEntries((manifest.shared ?? []).filter((entry) => entry.singleton).map((entry) => [entry.name, entry.usedExports ?? null]));
}

/**
 * The versions the shell provides of the singletons it shares (`sharedNames`, from its federation
 * config): as installed for the shell workspace according to the repository's `package-lock.json`
 * (the shell's own `node_modules` first, then the root's; a workspace package's own version).
 * Throws when the lock cannot be read; a package missing from it is left out.
 */
export function shellProvidedVersions(repoRoot: string, shellDir: string, sharedNames: readonly string[]): Record<string, string> {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
  };
  const provided: Record<string, string> = {};
  for (const name of sharedNames) {
    const installed = lock.packages[`${shellDir}/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
    const entry = installed?.link && installed.resolved ? lock.packages[installed.resolved] : installed;
    if (entry?.version) provided[name] = entry.version;
  }
  return provided;
}
