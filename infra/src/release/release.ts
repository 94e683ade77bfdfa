import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  isPercent,
  readReleaseManifest,
  ReleaseError,
  VERSION_PATTERN,
  withCanary,
  withPromotion,
  withRollback,
  writeReleaseManifest,
  type ReleasedBuild,
  type ReleaseManifest,
} from '@shop/frontend-server/release-manifest';
import { RELEASE_RENDER_DIR } from '@shop/frontend-server/fragment-render';
import { repoRoot } from '../parts.ts';
import { sharedMismatches, type SharedRequirement, type ShellSharing } from './shared-guard.ts';

/**
 * `npm run release`: builds a fragment into a folder of its own (`<releasesRoot>/<workspace>/<version>/`,
 * never written again), which the fragment's server serves at `/releases/<version>/`, and records it in
 * the release manifest the shell's server follows. Every check runs before anything is published.
 */

/** A fragment that can be released. */
export interface Fragment {
  /** The workspace, and the folder its releases go to: `mfe-catalog`. */
  workspace: string;
  /** Its federation name, as in `/remotes.json` and the release manifest: `mfe_catalog`. */
  federationName: string;
  /** Where it is served from (no trailing slash), as its Vite config and the shell read it. */
  publicUrl: string;
}

const env = process.env;
// The same variables and defaults as the fragments' vite.config.ts and the shell's remotes-config.ts.
const fragments: Fragment[] = [
  { workspace: 'mfe-catalog', federationName: 'mfe_catalog', publicUrl: env.MFE_CATALOG_URL ?? `http://localhost:${env.MFE_CATALOG_PORT ?? 3001}` },
  { workspace: 'mfe-cart', federationName: 'mfe_cart', publicUrl: env.MFE_CART_URL ?? `http://localhost:${env.MFE_CART_PORT ?? 3002}` },
].map((f) => ({ ...f, publicUrl: f.publicUrl.replace(/\/+$/, '') }));

/** The fragment named `name` (workspace `mfe-catalog` or federation name `mfe_catalog`); throws ReleaseError naming the known ones. */
export function fragmentNamed(name: string): Fragment {
  const fragment = fragments.find((f) => f.workspace === name || f.federationName === name);
  if (!fragment) throw new ReleaseError(`unknown fragment "${name}": known are ${fragments.map((f) => f.workspace).join(', ')}`);
  return fragment;
}

/** Where releases are kept. */
export interface ReleasePaths {
  /** The release manifest the shell's server reads (its RELEASE_MANIFEST). */
  manifestPath: string;
  /** The folder holding `<workspace>/<version>/` (each fragment server's RELEASES_DIR is `<root>/<workspace>`). */
  releasesRoot: string;
}

/** `RELEASE_MANIFEST` and `RELEASES_ROOT`, by default `.cache/releases/manifest.json` and `.cache/releases`. */
export function releasePathsFromEnv(vars: Record<string, string | undefined> = env): ReleasePaths {
  const releasesRoot = path.resolve(vars.RELEASES_ROOT || path.join(repoRoot, '.cache', 'releases'));
  return { releasesRoot, manifestPath: path.resolve(vars.RELEASE_MANIFEST || path.join(releasesRoot, 'manifest.json')) };
}

/** Builds `fragment` into `outDir` with its files addressed under `base`; rejects when the build fails. */
export type BuildFragment = (fragment: Fragment, outDir: string, options: { version: string; base: string }) => Promise<void>;

/**
 * The fragment's own production build, as its `npm run build`, showing `version` as its release: the
 * client build under `base`, and, for a fragment with a server render (`vite.ssr.config.ts`), its bundle
 * in `<outDir>/.ssr/`, which its server renders this release's pages with (`POST /releases/<version>/render`).
 */
export const viteBuild: BuildFragment = async (fragment, outDir, { version, base }) => {
  const cwd = path.join(repoRoot, fragment.workspace);
  const vite = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)('npx', ['vite', 'build', '--configLoader', 'runner', '--emptyOutDir', ...args], {
      cwd,
      env: { ...process.env, VITE_RELEASE: version, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  // The client first: its --emptyOutDir would empty the server bundle's folder inside it.
  await vite(['--outDir', outDir, '--base', base]);
  if (existsSync(path.join(cwd, 'vite.ssr.config.ts'))) {
    // Self-contained: the release folder may be kept far from any node_modules (RELEASES_ROOT).
    await vite(['-c', 'vite.ssr.config.ts', '--outDir', path.join(outDir, RELEASE_RENDER_DIR), '--base', base], { SSR_SELF_CONTAINED: '1' });
  }
};

/** A new version name: the UTC time of the release and a random suffix, `20261130-181500-3fa9c1`. */
export function newVersion(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The build a fragment had before its first release: its `dist/`, served at its root. */
const unreleased = (fragment: Fragment): ReleasedBuild => ({ version: 'dist', entry: `${fragment.publicUrl}/mf-manifest.json` });

export interface CanaryOptions {
  fragment: string;
  percent: number;
  /** The new version's name (default `newVersion()`); must not be released already. */
  version?: string;
  paths: ReleasePaths;
  /** What the shell provides of its shared singletons, package → version (see shellProvidedVersions). */
  provided: Readonly<Record<string, string>>;
  /** How the shell's build shares its singletons (see shellSharing); unchecked when absent. */
  shellSharing?: ShellSharing;
  build?: BuildFragment;
}

/**
 * Builds `fragment` as a new version and records it as its canary for `percent` % of sessions. Checks
 * the arguments, the manifest and then the build's shared singletons against `provided` before
 * publishing anything. Resolves with the released build; throws ReleaseError (nothing published) when
 * refused, or the build's error.
 */
export async function releaseCanary(options: CanaryOptions): Promise<ReleasedBuild & { percent: number }> {
  const fragment = fragmentNamed(options.fragment);
  if (!isPercent(options.percent)) throw new ReleaseError(`--canary takes a whole number of percent from 1 to 100, got ${options.percent}`);
  const version = options.version ?? newVersion();
  if (!VERSION_PATTERN.test(version)) throw new ReleaseError(`a version must match ${VERSION_PATTERN}, got "${version}"`);
  const base = `${fragment.publicUrl}/releases/${version}/`;
  const build: ReleasedBuild = { version, entry: `${base}mf-manifest.json` };
  // A dry run: an unreadable manifest or a version released before stops here, before the build.
  withCanary(readReleaseManifest(options.paths.manifestPath), fragment.federationName, build, options.percent, unreleased(fragment));
  const folder = path.join(options.paths.releasesRoot, fragment.workspace);
  const target = path.join(folder, version);
  if (existsSync(target)) throw new ReleaseError(`${target} exists already: a release's folder is never written twice`);

  // Built beside its final place under a dot-name the fragment server does not serve, then renamed.
  const staging = path.join(folder, `.staging-${version}`);
  mkdirSync(folder, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  try {
    await (options.build ?? viteBuild)(fragment, staging, { version, base });
    const manifest = JSON.parse(readFileSync(path.join(staging, 'mf-manifest.json'), 'utf8')) as { shared?: SharedRequirement[] };
    const problems = sharedMismatches(fragment.federationName, manifest.shared ?? [], options.provided, options.shellSharing);
    if (problems.length > 0) throw new ReleaseError(`refused: ${problems.join('; ')}. Nothing was released.`);
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // Read again: the canary watch may have written meanwhile.
  writeReleaseManifest(
    options.paths.manifestPath,
    withCanary(readReleaseManifest(options.paths.manifestPath), fragment.federationName, build, options.percent, unreleased(fragment)),
  );
  return { ...build, percent: options.percent };
}

function change(name: string, paths: ReleasePaths, how: (m: ReleaseManifest | undefined, f: string) => ReleaseManifest): ReleaseManifest {
  const fragment = fragmentNamed(name);
  const next = how(readReleaseManifest(paths.manifestPath), fragment.federationName);
  writeReleaseManifest(paths.manifestPath, next);
  return next;
}

/** Makes `fragment`'s canary its stable version. Resolves with the new manifest; throws ReleaseError (nothing changed) when there is no canary. */
export function promote(fragment: string, paths: ReleasePaths): ReleaseManifest {
  return change(fragment, paths, (m, f) => withPromotion(m, f));
}

/** Returns `fragment` to its previous stable version, dropping any canary. Throws ReleaseError (nothing changed) when there is none. */
export function rollback(fragment: string, paths: ReleasePaths): ReleaseManifest {
  return change(fragment, paths, (m, f) => withRollback(m, f));
}
