import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The release manifest: which build of each fragment a browser gets. The shell's server reads it (and
 * re-reads it when it changes), `npm run release` and the shell's canary watch write it, always whole
 * (a temporary file renamed over the old one), so a reader never sees half a file.
 */

/** One published build of a fragment: its version and the URL of its federation manifest. */
export interface ReleasedBuild {
  version: string;
  entry: string;
}

/** A build served to `percent` % of release cookies since `since` (ISO 8601). */
export interface CanaryBuild extends ReleasedBuild {
  percent: number;
  since: string;
}

/** What happened to a fragment's releases, oldest first; `reason` says why a canary was dropped. */
export interface ReleaseEvent {
  at: string;
  action: 'canary' | 'promote' | 'rollback' | 'canary-dropped';
  version: string;
  reason?: string;
}

export interface FragmentReleases {
  stable: ReleasedBuild;
  canary?: CanaryBuild;
  /** Earlier stable builds, the latest first: `--rollback` returns to the first. */
  previous: ReleasedBuild[];
  history: ReleaseEvent[];
}

/** Keyed by the fragment's federation name (`mfe_catalog`), as in `/remotes.json`. */
export interface ReleaseManifest {
  fragments: Record<string, FragmentReleases>;
}

/** A release operation that cannot be done as asked; nothing was changed. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

/** A version names a folder and a URL path segment: letters, digits, `.`, `_`, `-`, not starting with a dot. */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** How many earlier stable builds and events a fragment keeps in the manifest. */
const KEEP_PREVIOUS = 10;
const KEEP_HISTORY = 50;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// An absolute path, not '//host/…' nor '/\\host/…' (browsers read both as another host).
function checkBuild(value: unknown, where: string): ReleasedBuild {
  if (!isRecord(value)) throw new ReleaseError(`${where} must be an object {version, entry}`);
  if (typeof value.version !== 'string' || !VERSION_PATTERN.test(value.version)) throw new ReleaseError(`${where}.version must match ${VERSION_PATTERN}`);
  if (typeof value.entry !== 'string' || !/^(https?:\/\/|\/(?![/\\]))/.test(value.entry)) throw new ReleaseError(`${where}.entry must be an http(s) URL or an absolute path`);
  return { version: value.version, entry: value.entry };
}

/** Checks a parsed manifest and returns it typed; throws ReleaseError naming the first wrong field. */
export function parseReleaseManifest(input: unknown): ReleaseManifest {
  if (!isRecord(input) || !isRecord(input.fragments)) throw new ReleaseError('expected an object {"fragments": {…}}');
  const fragments: Record<string, FragmentReleases> = {};
  for (const [name, value] of Object.entries(input.fragments)) {
    const where = `fragments.${name}`;
    if (!isRecord(value)) throw new ReleaseError(`${where} must be an object`);
    const releases: FragmentReleases = {
      stable: checkBuild(value.stable, `${where}.stable`),
      previous: Array.isArray(value.previous) ? value.previous.map((b, i) => checkBuild(b, `${where}.previous[${i}]`)) : [],
      history: Array.isArray(value.history) ? (value.history as ReleaseEvent[]) : [],
    };
    if (value.canary !== undefined) {
      const canary = value.canary;
      const build = checkBuild(canary, `${where}.canary`);
      if (!isRecord(canary) || !isPercent(canary.percent)) throw new ReleaseError(`${where}.canary.percent must be a whole number from 1 to 100`);
      releases.canary = { ...build, percent: canary.percent as number, since: String(canary.since ?? '') };
    }
    fragments[name] = releases;
  }
  return { fragments };
}

/** Whether `value` is a canary share: a whole number of percent from 1 to 100. */
export function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100;
}

/** The manifest at `path`, or undefined when there is none. Throws ReleaseError when it is unreadable or malformed. */
export function readReleaseManifest(path: string): ReleaseManifest | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReleaseError(`cannot read the release manifest ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReleaseError(`the release manifest ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseReleaseManifest(parsed);
  } catch (error) {
    throw new ReleaseError(`the release manifest ${path}: ${(error as Error).message}`);
  }
}

/** Writes `manifest` to `path` atomically (a temporary file beside it, renamed over it). Throws on I/O errors. */
export function writeReleaseManifest(path: string, manifest: ReleaseManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, path);
}

const withEvent = (releases: FragmentReleases, event: ReleaseEvent): ReleaseEvent[] => [...releases.history, event].slice(-KEEP_HISTORY);

/**
 * The manifest with `build` as `fragment`'s canary for `percent` % of sessions (replacing any canary).
 * A fragment not yet in the manifest gets `base` (the build served before releases, e.g. its `dist/`)
 * as its stable build. Pure; throws ReleaseError for a bad percent or a version already released.
 */
export function withCanary(
  manifest: ReleaseManifest | undefined,
  fragment: string,
  build: ReleasedBuild,
  percent: number,
  base: ReleasedBuild,
  now = new Date(),
): ReleaseManifest {
  if (!isPercent(percent)) throw new ReleaseError(`the canary share must be a whole number of percent from 1 to 100, got ${percent}`);
  const current = manifest?.fragments[fragment] ?? { stable: base, previous: [], history: [] };
  const known = [current.stable, ...current.previous, ...(current.canary ? [current.canary] : [])];
  if (known.some((b) => b.version === build.version)) throw new ReleaseError(`${fragment} ${build.version} is already released`);
  const at = now.toISOString();
  return {
    fragments: {
      ...manifest?.fragments,
      [fragment]: {
        ...current,
        canary: { ...build, percent, since: at },
        history: withEvent(current, { at, action: 'canary', version: build.version }),
      },
    },
  };
}

function releasesOf(manifest: ReleaseManifest | undefined, fragment: string): FragmentReleases {
  const releases = manifest?.fragments[fragment];
  if (!releases) throw new ReleaseError(`${fragment} has no releases yet: release a canary first (--canary <percent>)`);
  return releases;
}

/** The manifest with `fragment`'s canary as its stable build, the stable one first in `previous`. Pure; throws ReleaseError when there is no canary. */
export function withPromotion(manifest: ReleaseManifest | undefined, fragment: string, now = new Date()): ReleaseManifest {
  const releases = releasesOf(manifest, fragment);
  if (!releases.canary) throw new ReleaseError(`${fragment} has no canary to promote (stable is ${releases.stable.version})`);
  const { version, entry } = releases.canary;
  return {
    fragments: {
      ...manifest!.fragments,
      [fragment]: {
        stable: { version, entry },
        previous: [releases.stable, ...releases.previous].slice(0, KEEP_PREVIOUS),
        history: withEvent(releases, { at: now.toISOString(), action: 'promote', version }),
      },
    },
  };
}

/**
 * The manifest with `fragment`'s previous stable build back as stable and no canary; with no previous
 * build, only its canary dropped. Pure; throws ReleaseError when there is neither.
 */
export function withRollback(manifest: ReleaseManifest | undefined, fragment: string, now = new Date()): ReleaseManifest {
  const releases = releasesOf(manifest, fragment);
  const [back, ...older] = releases.previous;
  // A first canary has no stable build before it, but it must still be possible to take it back.
  if (!back && releases.canary) {
    const { canary, ...rest } = releases;
    return {
      fragments: {
        ...manifest!.fragments,
        [fragment]: {
          ...rest,
          history: withEvent(releases, {
            at: now.toISOString(),
            action: 'rollback',
            version: releases.stable.version,
            reason: `canary ${canary.version} dropped, stable ${releases.stable.version} kept`,
          }),
        },
      },
    };
  }
  if (!back) throw new ReleaseError(`${fragment} has no previous stable version to roll back to (stable is ${releases.stable.version})`);
  return {
    fragments: {
      ...manifest!.fragments,
      [fragment]: {
        stable: back,
        previous: older,
        history: withEvent(releases, {
          at: now.toISOString(),
          action: 'rollback',
          version: back.version,
          reason: `rolled back from ${releases.stable.version}${releases.canary ? `, canary ${releases.canary.version} dropped` : ''}`,
        }),
      },
    },
  };
}

/**
 * The manifest without `fragment`'s canary `version`, with `reason` in its history; unchanged (the same
 * object) when that canary is no longer there (promoted or replaced meanwhile). Pure.
 */
export function withoutCanary(manifest: ReleaseManifest, fragment: string, version: string, reason: string, now = new Date()): ReleaseManifest {
  const releases = manifest.fragments[fragment];
  if (!releases?.canary || releases.canary.version !== version) return manifest;
  const { canary: _dropped, ...rest } = releases;
  return {
    fragments: {
      ...manifest.fragments,
      [fragment]: { ...rest, history: withEvent(releases, { at: now.toISOString(), action: 'canary-dropped', version, reason }) },
    },
  };
}
